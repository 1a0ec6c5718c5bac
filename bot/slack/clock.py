"""The agency's clock: now as a UTC moment, today as the agency's calendar date.

Middleware puts it into the context, so listeners take it by name: `clock`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext, BoltResponse


@dataclass(frozen=True)
class AgencyClock:
    zone: ZoneInfo

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(self.zone).date()


def provide_clock(zone: ZoneInfo) -> Callable[..., BoltResponse | None]:
    clock = AgencyClock(zone)

    def put_clock_in_context(context: BoltContext, next: Callable[[], None]) -> None:
        context["clock"] = clock
        next()

    return put_clock_in_context
