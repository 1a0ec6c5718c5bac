"""`/rekisteri raportti [period]`: the period of the report, in whole months (month_period).
None given: this year's months that have ended; in January, last year."""

from datetime import date

from bot.i18n import N_
from bot.inputs.month_period import last_ended_month, month_period
from bot.inputs.register_command import words_of
from storage.reports import Period

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
