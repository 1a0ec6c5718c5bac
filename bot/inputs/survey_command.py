"""`/rekisteri kysely [period]`: the period of meetings whose people the survey goes to.

Empty: last calendar month. `2026-03`: that month. `2026-03-01 2026-03-15`: those days, both
included. Dates are the agency's calendar days.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, model_validator

from bot.errors import UserInputError
from bot.i18n import N_
from bot.inputs.register_command import words_of

SURVEY_USAGE = N_(
    "Usage: `/rekisteri kysely` (last month), `/rekisteri kysely 2026-03` or "
    "`/rekisteri kysely 2026-03-01 2026-03-31`."
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
        try:
            if not words:
                first = (today - relativedelta(months=1)).replace(day=1)
                return cls(first_day=first, last_day=today.replace(day=1) - timedelta(days=1))
            if len(words) == 1:
                first = datetime.strptime(words[0], "%Y-%m").date()
                return cls(first_day=first, last_day=first + relativedelta(months=1, days=-1))
            if len(words) == 2:
                return cls(
                    first_day=date.fromisoformat(words[0]), last_day=date.fromisoformat(words[1])
                )
        except ValueError:
            raise UserInputError(SURVEY_USAGE) from None
        raise UserInputError(SURVEY_USAGE)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as UTC moments: the first day's start to the day after the last."""
        start = datetime.combine(self.first_day, time(), zone)
        end = datetime.combine(self.last_day + timedelta(days=1), time(), zone)
        return start.astimezone(UTC), end.astimezone(UTC)
