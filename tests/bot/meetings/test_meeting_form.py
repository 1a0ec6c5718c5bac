from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.customers.inputs import PersonButton
from bot.meetings.blocks import person_option
from bot.meetings.inputs import (
    DURATION_INVALID,
    FOLLOW_UP_INVALID,
    KIND_REQUIRED,
    PERSON_REQUIRED,
    WHEN_IN_FUTURE,
    WHEN_REQUIRED,
    MeetingCommand,
    MeetingFormMetadata,
    read_meeting_form,
)
from bot.slack.error_messages import UserInputError
from storage.meetings import MeetingFields
from storage.models.enums import MeetingKind
from storage.search import PersonHit
from tests.bot.helpers.forms import outcome

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)


def state(**elements: dict[str, Any] | None) -> dict[str, Any]:
    """view.state.values with each element under block_id and action_id of the same name."""
    return {name: {name: element} for name, element in elements.items() if element is not None}


def selected(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


def complete(**changes: dict[str, Any] | None) -> dict[str, Any]:
    elements: dict[str, dict[str, Any] | None] = {
        "person_id": selected("7"),
        "occurred_at": {"selected_date_time": int((NOW - timedelta(hours=2)).timestamp())},
        "duration_minutes": {"value": "45"},
        "kind": selected("video"),
        "topic": {"value": "  Rahoitus  "},
        "notes": {"value": None},
        "follow_up_on": {"selected_date": "2026-12-04"},
    }
    elements.update(changes)
    return state(**elements)


def test_a_complete_form_becomes_the_meeting_to_save() -> None:
    fields = read_meeting_form(complete(), now=NOW, today=TODAY)

    assert fields == MeetingFields(
        person_id=7,
        occurred_at=NOW - timedelta(hours=2),
        duration_minutes=45,
        kind=MeetingKind.VIDEO,
        topic="Rahoitus",
        notes=None,
        follow_up_on=date(2026, 12, 4),
    )
    assert isinstance(fields, MeetingFields) and fields.occurred_at.tzinfo is UTC


def test_optional_fields_may_be_left_empty() -> None:
    values = complete(duration_minutes={"value": None}, topic=None, follow_up_on=None)

    fields = read_meeting_form(values, now=NOW, today=TODAY)

    assert isinstance(fields, MeetingFields)
    assert (fields.duration_minutes, fields.topic, fields.follow_up_on) == (None, None, None)


@pytest.mark.parametrize(
    ("change", "block_id", "message"),
    [
        ({"person_id": {"selected_option": None}}, "person_id", PERSON_REQUIRED),
        ({"person_id": selected("not-a-number")}, "person_id", PERSON_REQUIRED),
        ({"occurred_at": {"selected_date_time": None}}, "occurred_at", WHEN_REQUIRED),
        (
            {"occurred_at": {"selected_date_time": int((NOW + timedelta(hours=1)).timestamp())}},
            "occurred_at",
            WHEN_IN_FUTURE,
        ),
        ({"duration_minutes": {"value": "0"}}, "duration_minutes", DURATION_INVALID),
        ({"duration_minutes": {"value": "1.5"}}, "duration_minutes", DURATION_INVALID),
        ({"duration_minutes": {"value": "721"}}, "duration_minutes", DURATION_INVALID),
        ({"kind": selected("carrier pigeon")}, "kind", KIND_REQUIRED),
        ({"follow_up_on": {"selected_date": "2026-11-26"}}, "follow_up_on", FOLLOW_UP_INVALID),
    ],
)
def test_each_problem_is_named_on_its_block(
    change: dict[str, dict[str, Any]], block_id: str, message: str
) -> None:
    result = outcome(read_meeting_form, complete(**change), now=NOW, today=TODAY)

    assert result == {block_id: message}


def test_a_few_minutes_ahead_and_a_follow_up_today_are_accepted() -> None:
    soon = int((NOW + timedelta(minutes=10)).timestamp())
    values = complete(
        occurred_at={"selected_date_time": soon}, follow_up_on={"selected_date": "2026-11-27"}
    )

    assert isinstance(read_meeting_form(values, now=NOW, today=TODAY), MeetingFields)


def test_every_problem_is_reported_at_once() -> None:
    values = complete(person_id=None, duration_minutes={"value": "-5"}, kind=None)

    result = outcome(read_meeting_form, values, now=NOW, today=TODAY)

    assert isinstance(result, dict)
    assert set(result) == {"person_id", "duration_minutes", "kind"}


def test_an_element_with_another_action_id_is_still_read_by_its_block_id() -> None:
    values = complete()
    values["topic"] = {"anything": {"type": "plain_text_input", "value": "Markkinointi"}}

    fields = read_meeting_form(values, now=NOW, today=TODAY)

    assert isinstance(fields, MeetingFields) and fields.topic == "Markkinointi"


def test_metadata_round_trips_and_a_tampered_one_is_refused() -> None:
    metadata = MeetingFormMetadata.new(response_url="https://hooks.example/x", pushed=False)
    other = MeetingFormMetadata.new(response_url=None, pushed=True)

    assert MeetingFormMetadata.parse(metadata.dump()) == metadata
    assert metadata.idempotency_key != other.idempotency_key
    assert len(metadata.dump()) < 3000
    with pytest.raises(UserInputError):
        MeetingFormMetadata.parse('{"idempotency_key": "short"}')
    with pytest.raises(UserInputError):
        MeetingFormMetadata.parse("")


def test_the_command_text_and_the_button_value() -> None:
    assert MeetingCommand.parse("  Maija   Mallikas ").query == "Maija Mallikas"
    assert PersonButton.parse("12").person_id == 12
    with pytest.raises(UserInputError):
        PersonButton.parse("R-7K3Q9")


def test_an_option_is_plain_text_and_at_most_75_characters() -> None:
    hit = PersonHit(
        id=3,
        reference="R-TEST1",
        first_name="Maija-Liisa Annikki Kristiina",
        last_name="Mallikas-Esimerkkinen-Virtanen",
        municipality="Esimerkkilän kaupunki",
        last_meeting_at=None,
    )

    option = person_option(hit).to_dict()

    assert option["value"] == "3" and option["text"]["type"] == "plain_text"
    assert len(option["text"]["text"]) == 75 and option["text"]["text"].endswith("…")
