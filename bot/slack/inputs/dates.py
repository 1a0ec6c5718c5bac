"""Dates and times as Slack's pickers send them, each field bounded to years that make sense.

A datepicker sends `YYYY-MM-DD` and nothing else is read as a date. A datetimepicker sends
seconds since the epoch, and nothing else is read as a time: a number of milliseconds is not
guessed at (it would be a time thousands of years away, and is refused as out of range).
Each field's bounds are relative to the agency's today, given in the validation context:
`Model.model_validate(values, context={"today": today})`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from dateutil.relativedelta import relativedelta
from pydantic import AfterValidator, BeforeValidator, ValidationInfo

from bot.slack.i18n import N_
from bot.slack.inputs.rules import rule_error

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NO_SUCH_DATE = N_("That date does not exist.")
NO_SUCH_TIME = N_("Give the date and time with the picker.")
# Python's datetimes end with the year 9999; anything past it is not a time at all.
LAST_EPOCH_SECOND = int(datetime(9999, 12, 31, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Bounds:
    """The first and last day a field may hold, each from today, with what to say outside."""

    earliest: Callable[[date], date]
    latest: Callable[[date], date]
    too_early: str
    too_late: str

    def message(self, day: date, today: date) -> str | None:
        if day < self.earliest(today):
            return self.too_early
        if day > self.latest(today):
            return self.too_late
        return None


def _years(count: int) -> Callable[[date], date]:
    return lambda today: today + relativedelta(years=count)


def _fixed(day: date) -> Callable[[date], date]:
    return lambda today: day


def _today(today: date) -> date:
    return today


# The oldest people alive are under 120: a date before that is a mistyped year.
OLDEST_AGE = 120
BIRTH_DATE = Bounds(
    lambda today: today - relativedelta(years=OLDEST_AGE) + timedelta(days=1),
    _today,
    N_("A date of birth must be less than 120 years ago; check the year."),
    N_("A date of birth cannot be in the future."),
)
MEETING_TIME = Bounds(
    _fixed(date(1990, 1, 1)),
    _years(1),
    N_("A meeting cannot be before 1990."),
    N_("The meeting cannot be in the future."),
)
FOLLOW_UP = Bounds(
    _today,
    _years(2),
    N_("The follow-up date cannot be in the past."),
    N_("A follow-up can be at most two years ahead."),
)
RECEIVED_ON = Bounds(
    _years(-1),
    _today,
    N_("A request received more than a year ago cannot be filed; check the year."),
    N_("The date received cannot be in the future."),
)
CONSENT_DATE = Bounds(
    _fixed(date(1990, 1, 1)),
    _today,
    N_("A consent cannot be dated before 1990."),
    N_("A consent cannot be dated in the future."),
)
# What an earlier register recorded: a relationship's start, and a follow-up long past.
RELATIONSHIP_START = Bounds(
    _fixed(date(1990, 1, 1)),
    _today,
    N_("A relationship cannot start before 1990."),
    N_("A relationship cannot start in the future."),
)
RECORDED_FOLLOW_UP = Bounds(
    _fixed(date(1990, 1, 1)),
    _years(2),
    N_("A follow-up cannot be dated before 1990."),
    FOLLOW_UP.too_late,
)
HOLD_UNTIL = Bounds(
    lambda today: today + timedelta(days=1),
    _years(10),
    N_("The hold must end after today."),
    N_("A hold can end at most ten years from today."),
)


def _day(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_DAY.match(value):
        raise rule_error(NO_SUCH_DATE)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise rule_error(NO_SUCH_DATE) from None


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise rule_error(NO_SUCH_TIME)
    if not 0 <= value <= LAST_EPOCH_SECOND:
        raise rule_error(MEETING_TIME.too_late if value > 0 else MEETING_TIME.too_early)
    return datetime.fromtimestamp(value, UTC)


def _today_of(info: ValidationInfo) -> date:
    today = (info.context or {}).get("today")
    if not isinstance(today, date):
        raise TypeError("dates are validated with the agency's today in the context")
    return today


def _within(bounds: Bounds) -> Callable[[Any, ValidationInfo], Any]:
    def check(value: date | datetime, info: ValidationInfo) -> date | datetime:
        day = value.astimezone(UTC).date() if isinstance(value, datetime) else value
        message = bounds.message(day, _today_of(info))
        if message:
            raise rule_error(message)
        return value

    check.bounds = bounds  # type: ignore[attr-defined]  # a test finds unbounded date fields by it
    return check


BirthDate = Annotated[date, BeforeValidator(_day), AfterValidator(_within(BIRTH_DATE))]
FollowUpDate = Annotated[date, BeforeValidator(_day), AfterValidator(_within(FOLLOW_UP))]
ReceivedOn = Annotated[date, BeforeValidator(_day), AfterValidator(_within(RECEIVED_ON))]
ConsentDate = Annotated[date, BeforeValidator(_day), AfterValidator(_within(CONSENT_DATE))]
RelationshipStart = Annotated[
    date, BeforeValidator(_day), AfterValidator(_within(RELATIONSHIP_START))
]
RecordedFollowUp = Annotated[
    date, BeforeValidator(_day), AfterValidator(_within(RECORDED_FOLLOW_UP))
]
HoldUntil = Annotated[date, BeforeValidator(_day), AfterValidator(_within(HOLD_UNTIL))]
MeetingTime = Annotated[datetime, BeforeValidator(_moment), AfterValidator(_within(MEETING_TIME))]
