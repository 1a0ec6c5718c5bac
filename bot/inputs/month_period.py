"""The period of a report or a survey list, from the words after the sub-command: whole months
only, so that two periods never differ by a few days.

`2026` a year, `2026-Q1` (or `2026Q1`, `2026-K1`) a quarter, `2026-03` a month, and
`2026-01 2026-06` the months from one to the other, both included. Months that have not ended
are left out; a period with none left is refused. Day dates are refused with a message that
says why.
"""

import re
from datetime import date

from dateutil.relativedelta import relativedelta

from bot.errors import UserInputError
from bot.i18n import N_
from storage.reports import Period

EARLIEST_YEAR = 2000
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
