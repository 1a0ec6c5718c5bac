"""When a data-subject request must be answered: GDPR Art 12(3), counted as in Regulation
(EEC, Euratom) No 1182/71.

A period in months ends on the same day of the month as the day it started from; if that
day does not exist, on the month's last day; if it is a Saturday, Sunday or public holiday,
on the next working day (Art 3(2)(c), 3(4)).

Public holidays are those of the `holidays` library's Finnish calendar, in its default
(public) category: New Year's Day, Epiphany, Good Friday, Easter Sunday and Monday, May Day,
Ascension Day, Whit Sunday, Midsummer Eve and Day, All Saints' Day, Independence Day,
Christmas Eve, Christmas Day and St Stephen's Day. The flag days of its other categories
(Runeberg Day, Europe Day and the like) are working days and do not count.

That is the list Finland notified as its non-working days under Regulation 1182/71, which
includes Midsummer Eve, plus Christmas Eve, which that list leaves out. Both eves count: the
Finnish act on computing time limits (150/1930, 5 §) moves a deadline that falls on either to
the next working day, and offices, this agency's among them, are closed on both.
"""

import functools
from datetime import date, timedelta

import holidays
from dateutil.relativedelta import relativedelta

REPLY_MONTHS = 1
EXTENDED_REPLY_MONTHS = 3
# Art 12(3) allows "a further two months": counted from the first due date as well as from
# receipt, whichever ends first.
FURTHER_MONTHS = 2


@functools.cache
def _finnish_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FI", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Finnish public holiday (as counted above)."""
    return day.weekday() < 5 and day not in _finnish_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def months_later(received_on: date, months: int) -> date:
    """The period's last day: relativedelta keeps the day of the month, or takes the
    month's last day when the month is shorter; then the next working day."""
    return next_working_day(received_on + relativedelta(months=months))


def due_date(received_on: date) -> date:
    """The first deadline: one calendar month after receipt."""
    return months_later(received_on, REPLY_MONTHS)


def extended_due_date(received_on: date) -> date:
    """The deadline after the one extension Art 12(3) allows, counted so that no reading of it
    makes the answer late: the earlier of three months after receipt and two months after the
    first due date, each by the same rule."""
    return min(
        months_later(received_on, EXTENDED_REPLY_MONTHS),
        months_later(due_date(received_on), FURTHER_MONTHS),
    )
