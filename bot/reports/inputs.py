"""The period of a report or a survey list, from the words after the sub-command: whole months
only, so that two periods never differ by a few days.

`2026` a year, `2026-Q1` (or `2026Q1`, `2026-K1`) a quarter, `2026-03` a month, and
`2026-01 2026-06` the months from one to the other, both included. Months that have not ended
are left out; a period with none left is refused. Day dates are refused with a message that
says why.

`/rekisteri raportti [period]`: the period of the report, in whole months (month_period).
None given: this year's months that have ended; in January, last year.

`/rekisteri kysely [period]`: the period of meetings whose people the survey goes to.

Empty: last calendar month. Otherwise whole months that have ended, as a report's
(month_period): `2026-03`, `2026-Q1`, `2026`, `2026-01 2026-03`. Dates are the agency's calendar
days."""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, model_validator

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.text import format_period
from bot.staff.inputs import RegisterAction, register_action, words_of
from storage.reports import Period

EARLIEST_YEAR = 2000


def is_report(command: dict[str, Any]) -> bool:
    """`/rekisteri raportti …`"""
    return register_action(command.get("text", "")) is RegisterAction.REPORT


def is_survey(command: dict[str, Any]) -> bool:
    """`/rekisteri kysely …`"""
    return register_action(command.get("text", "")) is RegisterAction.SURVEY


YEAR = re.compile(r"^(\d{4})$")
QUARTER = re.compile(r"^(\d{4})-?[QqKk]([1-4])$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

WHOLE_MONTHS = N_(
    "Periods are whole months: give a year (2026), a quarter (2026-Q1), a month (2026-03) "
    "or a range of months (2026-01 2026-06), not days."
)
NOT_ENDED = N_("That period has not ended yet: only months that have ended can be counted.")
TOO_EARLY = N_("Give a period from the year 2000 on.")


def last_ended_month(today: date) -> date:
    """The first day of the latest month that has ended."""
    return today.replace(day=1) - relativedelta(months=1)


def _month(word: str) -> tuple[date, date] | None:
    if match := YEAR.match(word):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 1)
    if match := QUARTER.match(word):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = date(year, 3 * quarter - 2, 1)
        return first, first + relativedelta(months=2)
    if (match := MONTH.match(word)) and 1 <= int(match.group(2)) <= 12:
        first = date(int(match.group(1)), int(match.group(2)), 1)
        return first, first
    return None


def month_period(words: list[str], *, today: date, usage: str) -> Period:
    """The whole months the words name, without those that have not ended yet; UserInputError
    with `usage` for words that name no period."""
    if any(DAY.match(word) for word in words):
        raise UserInputError(WHOLE_MONTHS)
    spans = [_month(word) for word in words]
    if not 1 <= len(words) <= 2 or any(span is None for span in spans):
        raise UserInputError(usage)
    first = spans[0][0]  # type: ignore[index]
    last = spans[-1][1]  # type: ignore[index]
    if last < first:
        raise UserInputError(usage)
    if first.year < EARLIEST_YEAR:
        raise UserInputError(TOO_EARLY)
    last = min(last, last_ended_month(today))
    if last < first:
        raise UserInputError(NOT_ENDED)
    return Period.months(first, last)


REPORT_USAGE = N_(
    "Usage: `/rekisteri raportti` (this year's months so far), `/rekisteri raportti 2026`, "
    "`2026-Q1`, `2026-03` or `2026-01 2026-06`. Reports count whole months that have ended."
)


def report_period(text: str, *, today: date) -> Period:
    words = words_of(text)[1:]
    if not words:
        last = last_ended_month(today)
        return Period.months(date(last.year, 1, 1), last)
    return month_period(words, today=today, usage=REPORT_USAGE)


SURVEY_USAGE = N_(
    "Usage: `/rekisteri kysely` (last month), `/rekisteri kysely 2026-03`, `2026-Q1`, `2026` "
    "or `2026-01 2026-03`. Survey lists cover whole months that have ended."
)


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
        words = words_of(text)[1:]
        if not words:
            first = (today - relativedelta(months=1)).replace(day=1)
            return cls(first_day=first, last_day=today.replace(day=1) - timedelta(days=1))
        period = month_period(words, today=today, usage=SURVEY_USAGE)
        return cls(first_day=period.start, last_day=period.end)

    def days(self, language: str) -> str:
        """The period as the reader writes it: 1.–31.10.2026 in Finnish."""
        return format_period(self.first_day, self.last_day, language)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as UTC moments: the first day's start to the day after the last."""
        start = datetime.combine(self.first_day, time(), zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time(), zone)
        return start.astimezone(UTC), end.astimezone(UTC)
