"""The agency's clock: now as a UTC moment, today as the agency's calendar date.

Middleware (bot.slack.middleware.provide) puts it into the context, so listeners take it by
name: `clock`.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class AgencyClock:
    zone: ZoneInfo

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(self.zone).date()
