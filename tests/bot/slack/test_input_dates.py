"""Every date and time a form sends is read one way only (ISO days, epoch seconds) and bounded."""

import typing
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import BaseModel

from bot.customers.form_inputs import InvalidForm, parse_person_edit
from bot.customers.inputs import read_consent
from bot.meetings.inputs import read_meeting_form
from bot.reports.inputs import SurveyPeriod
from bot.requests.inputs import read_request_form
from bot.retention.inputs import read_decisions
from bot.slack.ids import retention_decision, retention_hold_reason, retention_hold_until
from bot.slack.inputs.dates import (
    BIRTH_DATE,
    CONSENT_DATE,
    FOLLOW_UP,
    HOLD_UNTIL,
    MEETING_TIME,
    NO_SUCH_DATE,
    NO_SUCH_TIME,
    RECEIVED_ON,
)
from tests.bot.helpers.forms import outcome
from tests.bot.helpers.input_models import input_models

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
TODAY = date(2026, 11, 27)
YEAR_3000 = int(datetime(3000, 1, 1, tzinfo=UTC).timestamp())


def meeting(occurred_at: Any, follow_up_on: str | None = None) -> Any:
    values = {
        "person_id": {"person_id": {"selected_option": {"value": "7"}}},
        "occurred_at": {"occurred_at": {"selected_date_time": occurred_at}},
        "kind": {"kind": {"selected_option": {"value": "phone"}}},
        "follow_up_on": {"follow_up_on": {"selected_date": follow_up_on}},
    }
    return outcome(read_meeting_form, values, now=NOW, today=TODAY)


@pytest.mark.parametrize(
    ("occurred_at", "message"),
    [
        (YEAR_3000, MEETING_TIME.too_late),
        (int(NOW.timestamp()) * 1000, MEETING_TIME.too_late),
        (10**20, MEETING_TIME.too_late),
        (31_536_000, MEETING_TIME.too_early),
        (-1, MEETING_TIME.too_early),
        (1.7e9, NO_SUCH_TIME),
        ("2026-11-27T10:00", NO_SUCH_TIME),
        (True, NO_SUCH_TIME),
    ],
)
def test_a_meeting_time_is_epoch_seconds_within_its_years(occurred_at: Any, message: str) -> None:
    assert meeting(occurred_at) == {"occurred_at": message}


def test_a_meeting_time_in_seconds_is_read_as_such() -> None:
    read = meeting(int(NOW.timestamp()) - 3600)
    assert read.occurred_at == datetime(2026, 11, 27, 11, tzinfo=UTC)
    assert meeting(str(int(NOW.timestamp()) - 60)).occurred_at.minute == 59


def test_a_follow_up_is_within_two_years() -> None:
    assert meeting(int(NOW.timestamp()), "2028-11-27").follow_up_on == date(2028, 11, 27)
    assert meeting(int(NOW.timestamp()), "2028-11-28") == {"follow_up_on": FOLLOW_UP.too_late}
    assert meeting(int(NOW.timestamp()), "2026-11-26") == {"follow_up_on": FOLLOW_UP.too_early}


def request(received_on: Any) -> Any:
    values = {
        "kind": {"kind": {"selected_option": {"value": "access"}}},
        "person_id": {"person_id": {"selected_option": {"value": "7"}}},
        "channel": {"channel": {"selected_option": {"value": "email"}}},
        "received_on": {"received_on": {"selected_date": received_on}},
        "language": {"language": {"selected_option": {"value": "fi"}}},
    }
    return outcome(read_request_form, values, today=TODAY)


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        ("2025-11-26", RECEIVED_ON.too_early),
        ("3000-01-01", RECEIVED_ON.too_late),
        (YEAR_3000, NO_SUCH_DATE),
        (1_700_000_000_000, NO_SUCH_DATE),
        ("20261120", NO_SUCH_DATE),
        ("2026-02-30", NO_SUCH_DATE),
    ],
)
def test_a_request_is_received_within_the_last_year(received_on: Any, message: str) -> None:
    assert request(received_on) == {"received_on": message}
    assert request("2025-11-27").received_on == date(2025, 11, 27)


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        ("1906-11-27", BIRTH_DATE.too_early),
        ("1900-01-01", BIRTH_DATE.too_early),
        ("2026-11-28", BIRTH_DATE.too_late),
    ],
)
def test_a_birth_date_is_less_than_120_years_ago_and_not_in_the_future(
    birth_date: str, message: str
) -> None:
    values = {"first_name": "Testi", "last_name": "Virtanen", "source": "person"}
    assert parse_person_edit(values | {"birth_date": "1906-11-28"}, today=TODAY).birth_date
    assert parse_person_edit(values | {"birth_date": "2026-11-27"}, today=TODAY).birth_date
    with pytest.raises(InvalidForm) as invalid:
        parse_person_edit(values | {"birth_date": birth_date}, today=TODAY)
    assert invalid.value.errors == {"birth_date": (message, {})}


@pytest.mark.parametrize(
    ("day", "message"),
    [("1989-12-31", CONSENT_DATE.too_early), ("2026-11-28", CONSENT_DATE.too_late)],
)
def test_a_consent_is_dated_from_1990_to_today(day: str, message: str) -> None:
    values = {
        "purpose": {"purpose": {"selected_option": {"value": "marketing"}}},
        "status": {"status": {"selected_option": {"value": "given"}}},
        "date": {"date": {"selected_date": day}},
    }
    assert outcome(read_consent, values, today=TODAY) == {"date": message}


def test_a_hold_ends_within_ten_years() -> None:
    def hold(until: str) -> object:
        values = {
            retention_decision(3): {"a": {"selected_option": {"value": "hold"}}},
            retention_hold_until(3): {"a": {"selected_date": until}},
            retention_hold_reason(3): {"a": {"value": "Riita-asia"}},
        }
        return outcome(read_decisions, values, [3], TODAY)

    assert hold("2036-11-28") == ({retention_hold_until(3): HOLD_UNTIL.too_late})
    assert hold("2026-11-27") == ({retention_hold_until(3): HOLD_UNTIL.too_early})
    assert not isinstance(hold("2036-11-27"), dict)


def _bounded(annotation: Any, metadata: Any = ()) -> bool:
    """Every date or datetime in the annotation carries a Bounds check."""
    if annotation in (date, datetime):
        return any(hasattr(getattr(item, "func", None), "bounds") for item in metadata)
    if typing.get_origin(annotation) is typing.Annotated:
        return _bounded(annotation.__origin__, annotation.__metadata__)
    return all(_bounded(arg) for arg in typing.get_args(annotation))


def test_every_date_of_an_input_model_is_bounded() -> None:
    """SurveyPeriod comes from parse_period, which bounds its months (see the period tests)."""
    models: list[type[BaseModel]] = input_models()
    unbounded = [
        f"{model.__name__}.{name}"
        for model in models
        if model is not SurveyPeriod
        for name, field in model.model_fields.items()
        if not _bounded(field.annotation, field.metadata)
    ]
    assert unbounded == []
