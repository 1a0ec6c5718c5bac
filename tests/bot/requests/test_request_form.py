from datetime import date
from typing import Any

import pytest

from bot.requests.inputs import (
    CHANNEL_REQUIRED,
    METHOD_REQUIRED,
    METHOD_TEXT_REQUIRED,
    NAME_OR_PERSON_REQUIRED,
    NAME_TOO_LONG,
    PERSON_OR_NAME_REQUIRED,
    REASON_REQUIRED,
    RECEIVED_IN_FUTURE,
    RequestButton,
    RequestFormMetadata,
    read_reason,
    read_request_form,
    read_verification,
)
from bot.slack.error_messages import UserInputError
from storage.models.enums import RequestChannel, RequestKind
from storage.requests import RequestFiling
from tests.bot.helpers.forms import outcome

TODAY = date(2026, 11, 27)


def state(**elements: dict[str, Any] | None) -> dict[str, Any]:
    return {name: {name: element} for name, element in elements.items() if element is not None}


def selected(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def typed(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def complete(**changes: dict[str, Any] | None) -> dict[str, Any]:
    elements: dict[str, dict[str, Any] | None] = {
        "kind": selected("erasure"),
        "person_id": selected("7"),
        "requester_name": typed(None),
        "requester_contact": typed(None),
        "channel": selected("letter"),
        "received_on": {"type": "datepicker", "selected_date": "2026-11-20"},
        "language": selected("en"),
        "details": typed("  Poistakaa tietoni.  "),
    }
    elements.update(changes)
    return state(**elements)


def test_a_complete_form_is_a_filing() -> None:
    assert read_request_form(complete(), today=TODAY) == RequestFiling(
        kind=RequestKind.ERASURE,
        channel=RequestChannel.LETTER,
        received_on=date(2026, 11, 20),
        person_id=7,
        details="Poistakaa tietoni.",
        language="en",
    )


def test_a_requester_not_in_the_register_is_named_instead() -> None:
    values = complete(
        person_id={"type": "external_select", "selected_option": None},
        requester_name=typed("Testi Virtanen"),
        requester_contact=typed("testi.virtanen@example.fi"),
    )
    filing = read_request_form(values, today=TODAY)
    assert isinstance(filing, RequestFiling)
    assert filing.person_id is None
    assert (filing.requester_name, filing.requester_contact) == (
        "Testi Virtanen",
        "testi.virtanen@example.fi",
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"person_id": None, "requester_name": typed("   ")},
            {"person_id": PERSON_OR_NAME_REQUIRED, "requester_name": NAME_OR_PERSON_REQUIRED},
        ),
        (
            {"received_on": {"type": "datepicker", "selected_date": "2026-11-28"}},
            {"received_on": RECEIVED_IN_FUTURE},
        ),
        ({"channel": None}, {"channel": CHANNEL_REQUIRED}),
        ({"channel": selected("pigeon")}, {"channel": CHANNEL_REQUIRED}),
        ({"requester_name": typed("x" * 201)}, {"requester_name": NAME_TOO_LONG}),
    ],
    ids=["no-person-no-name", "future", "no-channel", "unknown-channel", "long-name"],
)
def test_errors_are_by_block_id(changes: dict[str, Any], errors: dict[str, str]) -> None:
    assert outcome(read_request_form, complete(**changes), today=TODAY) == errors


def test_today_is_not_in_the_future() -> None:
    values = complete(received_on={"type": "datepicker", "selected_date": "2026-11-27"})
    assert isinstance(read_request_form(values, today=TODAY), RequestFiling)


def test_metadata_round_trips_and_garbage_is_refused() -> None:
    metadata = RequestFormMetadata.new(response_url="https://hooks.slack.com/x")
    assert RequestFormMetadata.parse(metadata.dump()) == metadata
    assert RequestFormMetadata.new(response_url=None).filing_key != metadata.filing_key
    for garbage in ("not json", "{}"):
        with pytest.raises(UserInputError):
            RequestFormMetadata.parse(garbage)


def test_a_button_names_a_request() -> None:
    assert RequestButton.parse("12").request_id == 12
    for value in (None, "", "0", "abc"):
        with pytest.raises(UserInputError):
            RequestButton.parse(value)


def test_verification_is_a_method_or_other_with_how() -> None:
    def values(method: str | None, text: str | None = None) -> dict[str, Any]:
        return state(
            identity_verification=selected(method) if method else None,
            identity_verification_text=typed(text),
        )

    assert read_verification(values("known_email")) == "known_email"
    assert read_verification(values("other", " Video call with ID ")) == "other: Video call with ID"
    assert outcome(read_verification, values(None)) == {"identity_verification": METHOD_REQUIRED}
    assert outcome(read_verification, values("other")) == (
        {"identity_verification_text": METHOD_TEXT_REQUIRED}
    )


def test_a_reason_is_required() -> None:
    assert read_reason(state(resolution=typed(" Ei perustetta ")), "resolution") == (
        "Ei perustetta"
    )
    assert outcome(read_reason, state(resolution=typed("  ")), "resolution") == (
        {"resolution": REASON_REQUIRED}
    )
