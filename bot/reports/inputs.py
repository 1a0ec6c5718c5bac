"""The period of a report or a survey list, from the words after the sub-command: one syntax
and one parser for both commands.

A month `2026-11`, a quarter `2026-Q1` (or `2026Q1`, `2026-K1`), a year `2026`, or a range of
them or of dates, in ISO or Finnish dates: `2026-01 2026-06`, `2026-10-01–2026-12-31`,
`1.10.2026–31.12.2026`, and the Finnish short forms `1.–31.10.2026` and `1.10.–31.12.2026` that
the bot itself writes. A range's ends are joined by a dash (hyphen, en or em dash, spaces
around it or not) or by spaces.

Periods are whole months, so that two reports never differ by a few days: a range of dates
runs from a month's first day to a month's last day, and is refused with a message that says
so otherwise. Months that have not ended are left out; a period with none left is refused.
Dates are the agency's calendar days.

`/rekisteri raportti [period]`: none given, this year's months that have ended; in January,
last year. `/rekisteri kysely [period]`: the period of meetings whose people the survey goes
to; none given, last calendar month.

The acknowledgement answers a period that cannot be used; the work after it (the files, in a
lazy listener) reads the period again with `given_period`, which is None then, and does nothing
more, so the staff member gets one answer."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, model_validator

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.text import format_period
from bot.staff.inputs import RegisterAction, register_action
from storage.reports import Period

EARLIEST_YEAR = 2000
Read = TypeVar("Read")


def is_report(command: dict[str, Any]) -> bool:
    """`/rekisteri raportti …`"""
    return register_action(command.get("text", "")) is RegisterAction.REPORT


def is_survey(command: dict[str, Any]) -> bool:
    """`/rekisteri kysely …`"""
    return register_action(command.get("text", "")) is RegisterAction.SURVEY


WHOLE_MONTHS = N_(
    "Periods are whole months: a range of dates runs from a month's first day to a month's "
    "last day, such as 1.10.2026–31.12.2026 or 2026-10-01 2026-12-31."
)
NOT_ENDED = N_("That period has not ended yet: only months that have ended can be counted.")
TOO_EARLY = N_("Give a period from the year 2000 on.")
REPORT_USAGE = N_(
    "Usage: `/rekisteri raportti [period]`, the period a month (`2026-11`), a quarter "
    "(`2026-Q1`), a year (`2026`) or a range of them or of dates (`2026-01 2026-06`, "
    "`1.10.2026–31.12.2026`, `2026-10-01–2026-12-31`); without one, this year's months so far. "
    "Reports count whole months that have ended."
)
SURVEY_USAGE = N_(
    "Usage: `/rekisteri kysely [period]`, the period a month (`2026-11`), a quarter "
    "(`2026-Q1`), a year (`2026`) or a range of them or of dates (`2026-01 2026-06`, "
    "`1.10.2026–31.10.2026`, `2026-10-01–2026-10-31`); without one, last month. Survey lists "
    "cover whole months that have ended."
)

ISO = re.compile(
    r"(?P<year>\d{4})(?:-?[QqKk](?P<quarter>[1-4])|-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?"
)
FINNISH = re.compile(r"(?P<day>\d{1,2})\.(?:(?P<month>\d{1,2})\.(?P<year>\d{4})?)?")
# Where a range's ends may meet: a dash with or without spaces, or spaces alone. A bare hyphen
# counts only before a year or a Finnish date, so that it never splits an ISO month or date.
JOIN = re.compile(r"\s*[–—]\s*|\s+-\s+|\s+|(?<=[\d.])-(?=\d{4}|\d{1,2}\.)")


class _Unusable(ValueError):
    """Words that name no period."""


def last_ended_month(today: date) -> date:
    """The first day of the latest month that has ended."""
    return today.replace(day=1) - relativedelta(months=1)


def _month_end(first: date) -> date:
    return first + relativedelta(months=1) - timedelta(days=1)


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Unusable from None


def _iso(term: str) -> tuple[date, date]:
    """The first and last day an ISO term names: a year, a quarter, a month or a day."""
    match = ISO.fullmatch(term)
    if not match:
        raise _Unusable
    year = int(match["year"])
    if match["quarter"]:
        first = date(year, 3 * int(match["quarter"]) - 2, 1)
        return first, _month_end(first + relativedelta(months=2))
    if match["day"]:
        day = _day(year, int(match["month"]), int(match["day"]))
        return day, day
    if match["month"]:
        first = _day(year, int(match["month"]), 1)
        return first, _month_end(first)
    return date(year, 1, 1), date(year, 12, 31)


def _finnish(term: str, *, end: date | None = None) -> date:
    """A Finnish date; the start of a range may leave out the month and year that its end has
    (1.–31.10.2026, 1.10.–31.12.2026)."""
    match = FINNISH.fullmatch(term)
    if not match or (end is None and not match["year"]):
        raise _Unusable
    month = int(match["month"]) if match["month"] else end.month if end else 0
    year = int(match["year"]) if match["year"] else end.year if end else 0
    return _day(year, month, int(match["day"]))


def _term(term: str) -> tuple[date, date]:
    if "." in term:
        day = _finnish(term)
        return day, day
    return _iso(term)


def _range(text: str) -> tuple[date, date]:
    """The first and last day of what the words name, either one term or two joined."""
    for join in JOIN.finditer(text):
        start, end = text[: join.start()], text[join.end() :]
        try:
            last = _term(end)[1]
            first = _finnish(start, end=last) if "." in start else _iso(start)[0]
        except _Unusable:
            continue
        return first, last
    return _term(text)


def parse_period(text: str, *, today: date, usage: str) -> Period:
    """The whole months the text names, without those that have not ended yet; UserInputError
    with `usage` for text that names no period, and with the rule for one that breaks it."""
    try:
        first, last = _range(text.strip())
    except _Unusable:
        raise UserInputError(usage) from None
    if last < first:
        raise UserInputError(usage)
    if first.year < EARLIEST_YEAR:
        raise UserInputError(TOO_EARLY)
    if first.day != 1 or last != _month_end(last.replace(day=1)):
        raise UserInputError(WHOLE_MONTHS)
    last = min(last, _month_end(last_ended_month(today)))
    if last < first:
        raise UserInputError(NOT_ENDED)
    return Period(first, last)


def _period_text(command_text: str) -> str:
    """The words after the sub-command."""
    words = command_text.strip().split(maxsplit=1)
    return words[1] if len(words) > 1 else ""


def report_period(text: str, *, today: date) -> Period:
    given = _period_text(text)
    if not given:
        last = last_ended_month(today)
        return Period.months(date(last.year, 1, 1), last)
    return parse_period(given, today=today, usage=REPORT_USAGE)


def given_period(read: Callable[[], Read]) -> Read | None:
    """What `read` makes of a period, or None where it refuses the period: the acknowledgement
    has already said why."""
    try:
        return read()
    except UserInputError:
        return None


class SurveyPeriod(BaseModel):
    first_day: date
    last_day: date

    @model_validator(mode="after")
    def _in_order(self) -> "SurveyPeriod":
        if self.last_day < self.first_day:
            raise ValueError("period ends before it starts")
        return self

    @classmethod
    def parse(cls, text: str, today: date) -> "SurveyPeriod":
        given = _period_text(text)
        if not given:
            first = last_ended_month(today)
            return cls(first_day=first, last_day=_month_end(first))
        period = parse_period(given, today=today, usage=SURVEY_USAGE)
        return cls(first_day=period.start, last_day=period.end)

    def days(self, language: str) -> str:
        """The period as the reader writes it: 1.–31.10.2026 in Finnish."""
        return format_period(self.first_day, self.last_day, language)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as UTC moments: the first day's start to the day after the last."""
        start = datetime.combine(self.first_day, time(), zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time(), zone)
        return start.astimezone(UTC), end.astimezone(UTC)
