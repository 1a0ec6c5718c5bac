"""`/rekisteri raportti [period]`: the period of the report, from the words after the
sub-command: none (this year to date), a year (`2026`), or two dates (`2026-01-01 2026-06-30`)."""

from datetime import date

from pydantic import BaseModel, ValidationError

from bot.errors import UserInputError
from bot.i18n import N_
from bot.inputs.register_command import words_of
from storage.errors import InvalidRequest
from storage.reports import Period

REPORT_USAGE = N_(
    "Usage: `/rekisteri raportti`, `/rekisteri raportti 2026` or "
    "`/rekisteri raportti 2026-01-01 2026-06-30`."
)
EARLIEST_YEAR = 2000


class ReportYear(BaseModel):
    year: int


class ReportDates(BaseModel):
    start: date
    end: date


def report_period(text: str, *, today: date) -> Period:
    words = words_of(text)[1:]
    try:
        if not words:
            return Period.year_to_date(today)
        if len(words) == 1 and words[0].isdigit():
            year = ReportYear(year=int(words[0])).year
            if EARLIEST_YEAR <= year <= today.year:
                return Period.year(year)
        elif len(words) == 2:
            dates = ReportDates.model_validate({"start": words[0], "end": words[1]})
            return Period(dates.start, dates.end)
    except (ValidationError, InvalidRequest):
        pass
    raise UserInputError(REPORT_USAGE)
