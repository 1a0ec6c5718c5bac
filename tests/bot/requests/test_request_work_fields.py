"""The modals a controller works a request through name their inputs as their readers read
them: a field renamed on one side only fails here, not in front of a controller."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.requests.alert_blocks import extend_view, reject_view, restriction_view, verify_view
from bot.requests.inputs import (
    VerificationMethod,
    read_reason,
    read_restriction_reason,
    read_verification,
)
from bot.slack.i18n import translator
from bot.slack.ids import (
    EXTENSION_REASON,
    IDENTITY_VERIFICATION,
    IDENTITY_VERIFICATION_TEXT,
    REJECTION_REASON,
    RESTRICTION_REASON,
)
from tests.bot.helpers.forms import input_ids
from tests.bot.helpers.requests import RECEIVED

T = translator("fi")
REASON = {"value": "Laaja aineisto, useita arkistoja."}

# Each modal, what its inputs are submitted with, its reader, and what the reader returns.
CASES: dict[str, tuple[View, dict[str, Any], Callable[[dict[str, Any]], str], str]] = {
    "verify": (
        verify_view(RECEIVED, T),
        {
            IDENTITY_VERIFICATION: {"selected_option": {"value": VerificationMethod.OTHER}},
            IDENTITY_VERIFICATION_TEXT: {"value": "Videopuhelu ja henkilökortti"},
        },
        read_verification,
        "other: Videopuhelu ja henkilökortti",
    ),
    "extend": (
        extend_view(RECEIVED, T, extended_due_on=date(2026, 2, 25)),
        {EXTENSION_REASON: REASON},
        lambda values: read_reason(values, EXTENSION_REASON),
        REASON["value"],
    ),
    "reject": (
        reject_view(RECEIVED, T),
        {REJECTION_REASON: REASON},
        lambda values: read_reason(values, REJECTION_REASON),
        REASON["value"],
    ),
    "restrict": (
        restriction_view(RECEIVED, T),
        {RESTRICTION_REASON: REASON},
        read_restriction_reason,
        REASON["value"],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_input_is_named_by_one_id_for_its_block_and_its_element(name: str) -> None:
    view, submitted, _, _ = CASES[name]
    assert input_ids(view) == [(block_id, block_id) for block_id in submitted]


@pytest.mark.parametrize("name", CASES)
def test_the_reader_reads_what_the_modal_names(name: str) -> None:
    view, submitted, read, expected = CASES[name]
    state = {block: {action: submitted[block]} for block, action in input_ids(view)}

    assert read(state) == expected
