"""Every text input refuses control characters as a field error on its own block."""

import typing
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from bot.customers.form_inputs import InvalidForm, parse_new_person
from bot.customers.inputs import read_disclosure
from bot.meetings.inputs import read_meeting_form
from bot.requests.inputs import (
    read_reason,
    read_request_form,
    read_restriction_reason,
    read_verification,
)
from bot.retention.inputs import read_decisions
from bot.slack.ids import (
    EXTENSION_REASON,
    IDENTITY_VERIFICATION,
    IDENTITY_VERIFICATION_TEXT,
    REJECTION_REASON,
    RESTRICTION_REASON,
    retention_decision,
    retention_hold_reason,
    retention_hold_until,
)
from bot.slack.inputs.private_metadata import PrivateMetadata
from bot.slack.inputs.text import (
    CONTROL_IN_LINE,
    CONTROL_IN_TEXT,
    MultiLine,
    SingleLine,
    _lines,
    _one_line,
)
from tests.bot.helpers.forms import outcome
from tests.bot.helpers.input_models import input_models

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
TODAY = date(2026, 11, 27)
HOSTILE_LINES = ["Testi\x00", "\x1b[31mTesti", "soi\x07", "kaksi\nriviä", "sar\tkain", "c1\x9b"]
HOSTILE_TEXTS = ["Testi\x00", "\x1b[31mTesti", "soi\x07", "c1\x9b", "rivi\u2028erotin"]


def text_input(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def state(**elements: dict[str, Any]) -> dict[str, Any]:
    return {block_id: {block_id: element} for block_id, element in elements.items()}


class OneLine(BaseModel):
    value: SingleLine


class Lines(BaseModel):
    value: MultiLine


@pytest.mark.parametrize("typed", HOSTILE_LINES)
def test_a_single_line_refuses_every_control_character(typed: str) -> None:
    with pytest.raises(ValueError, match="control"):
        OneLine(value=typed)


def test_multi_line_keeps_line_feeds_and_tabs_and_unifies_crlf() -> None:
    assert Lines(value="yksi\r\nkaksi\tkolme").value == "yksi\nkaksi\tkolme"
    for typed in HOSTILE_TEXTS:
        with pytest.raises(ValueError, match="control"):
            Lines(value=typed)


def meeting_state(topic: str | None, notes: str | None) -> dict[str, Any]:
    return state(
        person_id={"selected_option": {"value": "7"}},
        occurred_at={"selected_date_time": int(NOW.timestamp()) - 3600},
        kind={"selected_option": {"value": "phone"}},
        topic=text_input(topic),
        notes=text_input(notes),
    )


@pytest.mark.parametrize("typed", HOSTILE_LINES)
def test_the_meeting_topic_is_one_line(typed: str) -> None:
    read = outcome(read_meeting_form, meeting_state(typed, None), now=NOW, today=TODAY)
    assert read == {"topic": CONTROL_IN_LINE}


@pytest.mark.parametrize("typed", HOSTILE_TEXTS)
def test_the_meeting_notes_keep_lines_but_refuse_controls(typed: str) -> None:
    read = outcome(read_meeting_form, meeting_state("Rahoitus", typed), now=NOW, today=TODAY)
    assert read == {"notes": CONTROL_IN_TEXT}
    kept = read_meeting_form(meeting_state("Rahoitus", "a\n\tb"), now=NOW, today=TODAY)
    assert not isinstance(kept, dict) and kept.notes == "a\n\tb"


def test_the_request_form_checks_each_text_on_its_block() -> None:
    values = state(
        kind={"selected_option": {"value": "access"}},
        person_id={"selected_option": {"value": "7"}},
        requester_name=text_input("Testi\x1b[0m Virtanen"),
        requester_contact=text_input("testi@example.fi\n"),
        channel={"selected_option": {"value": "email"}},
        received_on={"selected_date": "2026-11-20"},
        language={"selected_option": {"value": "fi"}},
        details=text_input("Pyyntö\x00"),
    )
    read = outcome(read_request_form, values, today=TODAY)
    assert read == {"requester_name": CONTROL_IN_LINE, "details": CONTROL_IN_TEXT}


@pytest.mark.parametrize("block_id", [EXTENSION_REASON, REJECTION_REASON])
def test_reasons_keep_lines_but_refuse_controls(block_id: str) -> None:
    assert outcome(read_reason, state(**{block_id: text_input("a\x1b")}), block_id) == (
        {block_id: CONTROL_IN_TEXT}
    )
    assert outcome(read_reason, state(**{block_id: text_input("a\nb")}), block_id) == "a\nb"


def test_the_verification_text_and_the_restriction_reason() -> None:
    verification = state(
        **{
            IDENTITY_VERIFICATION: {"selected_option": {"value": "other"}},
            IDENTITY_VERIFICATION_TEXT: text_input("puhelu\nkysyttiin"),
        }
    )
    assert outcome(read_verification, verification) == (
        {IDENTITY_VERIFICATION_TEXT: CONTROL_IN_LINE}
    )
    restriction = state(**{RESTRICTION_REASON: text_input("\x07")})
    assert outcome(read_restriction_reason, restriction) == {RESTRICTION_REASON: CONTROL_IN_TEXT}


def test_the_disclosure_recipient_and_the_hold_reason_are_one_line() -> None:
    disclosure = state(
        recipient=text_input("Vero\nhallinto"),
        recipient_kind={"selected_option": {"value": "authority"}},
        categories={"selected_options": [{"value": "first_name"}]},
    )
    assert outcome(read_disclosure, disclosure) == {"recipient": CONTROL_IN_LINE}
    hold = state(
        **{
            retention_decision(3): {"selected_option": {"value": "hold"}},
            retention_hold_until(3): {"selected_date": "2027-06-01"},
            retention_hold_reason(3): text_input("riita\x1b"),
        }
    )
    assert outcome(read_decisions, hold, [3], TODAY) == (
        {retention_hold_reason(3): CONTROL_IN_LINE}
    )


def test_the_person_form_names_each_field() -> None:
    values = {
        "first_name": "Testi",
        "last_name": "Virta\x00nen",
        "municipality": "Hel\nsinki",
        "street_address": "c/o Mallikas\nKatu 1",
        "heard_from_text": "\x1b[5mvilkkuu",
        "phone_numbers": "040 123 4567\n\x1b050 123 4567",
        "source": "person",
        "relationship_kind": "customer",
        "legal_basis": "contract",
    }
    with pytest.raises(InvalidForm) as invalid:
        parse_new_person(values, today=TODAY)
    assert invalid.value.errors == {
        "last_name": (CONTROL_IN_LINE, {}),
        "municipality": (CONTROL_IN_LINE, {}),
        "heard_from_text": (CONTROL_IN_TEXT, {}),
        "phone_numbers": (CONTROL_IN_TEXT, {}),
    }


CHECKS = {_one_line, _lines}


def _checks(metadata: Any) -> bool:
    return any(getattr(item, "func", None) in CHECKS for item in metadata)


def _carries_the_check(annotation: Any, metadata: Any = ()) -> bool:
    """Every str in the annotation (alone, optional, in a list) is SingleLine or MultiLine."""
    if annotation is str:
        return _checks(metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        return _carries_the_check(annotation.__origin__, annotation.__metadata__)
    return all(_carries_the_check(arg) for arg in typing.get_args(annotation))


def test_every_text_field_of_an_input_model_refuses_control_characters() -> None:
    """A new model's text field cannot forget the rule: plain `str` is not allowed, except in
    what the bot itself wrote (private_metadata)."""
    unchecked = [
        f"{model.__name__}.{name}"
        for model in input_models()
        if not issubclass(model, PrivateMetadata) and not model.__name__.endswith("Metadata")
        for name, field in model.model_fields.items()
        if not _carries_the_check(field.annotation, field.metadata)
    ]
    assert unchecked == []
