"""`/rekisteri kysely [period]`: the period of meetings whose people the survey goes to.

Empty: last calendar month. Otherwise whole months that have ended, as a report's
(month_period): `2026-03`, `2026-Q1`, `2026`, `2026-01 2026-03`. Dates are the agency's calendar
days.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, model_validator

from bot.i18n import N_
from bot.inputs.month_period import month_period
from bot.inputs.register_command import words_of

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

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as UTC moments: the first day's start to the day after the last."""
        start = datetime.combine(self.first_day, time(), zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time(), zone)
        return start.astimezone(UTC), end.astimezone(UTC)
