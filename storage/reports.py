"""Aggregate reports on the customer base for whole months: counts only, small cells suppressed.

Every count from 1 to SMALL_CELL - 1 leaves this module as SUPPRESSED, so that no caller can
single a person out; and where a table would then hide a single cell beside its shown total, the
next smallest cell is hidden too (HIDDEN), so that no hidden count is the total less the shown
ones. A zero is shown as it is: no person is behind it, and a month with no meetings must not
read as one with a few.
Periods are whole months, so that two reports never differ by a few days. Restricted persons
are never counted. Building a report writes one audit event without person ids.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import InvalidRequest, PermissionDenied
from storage.models import Meeting, Person, Relationship
from storage.models.enums import MeetingKind, Purpose, RelationshipKind
from storage.permissions import Permission
from storage.staff import StaffMember

SMALL_CELL = 5
SUPPRESSED: Literal["< 5"] = "< 5"
HIDDEN: Literal["x"] = "x"
Count = int | Literal["< 5", "x"]

REPORT_ACTION = "report.view"
AGENCY_ZONE = ZoneInfo("Europe/Helsinki")


class AgeBand(StrEnum):
    UNDER_25 = "<25"
    FROM_25 = "25-34"
    FROM_35 = "35-44"
    FROM_45 = "45-54"
    FROM_55 = "55+"


# The breakdowns of the customers met, in the order a report shows them.
BREAKDOWNS = (
    "municipality",
    "employment_status",
    "labour_market_position",
    "education",
    "age_band",
    "gender",
    "heard_from",
)


@dataclass(frozen=True)
class Period:
    """Whole months: from the first day of `start`'s month to the last day of `end`'s."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start or self.start.day != 1 or self.end != _month_end(self.end):
            raise InvalidRequest("period")

    @classmethod
    def months(cls, first: date, last: date) -> "Period":
        """From `first`'s month to `last`'s, both whole."""
        return cls(first.replace(day=1), _month_end(last))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class Row:
    """One cell of a table: `value` is a stored value (an enumeration's, a municipality's
    name, an age band), None where the register does not know it."""

    value: str | None
    count: Count


@dataclass(frozen=True)
class Report:
    period: Period
    new_customers: Count
    customers_met: Count
    meetings: Count
    meetings_by_kind: tuple[Row, ...]
    meetings_by_month: tuple[Row, ...]
    breakdowns: dict[str, tuple[Row, ...]]
    has_data: bool = True  # False: no meeting and no new customer in the period


def suppress(count: int) -> Count:
    return SUPPRESSED if 0 < count < SMALL_CELL else count


def protect(counts: Sequence[int]) -> list[Count]:
    """The cells of one table whose total is shown (as `suppress(sum(counts))`).

    A count from 1 to SMALL_CELL - 1 is SUPPRESSED; if that hides exactly one cell, the
    smallest shown cell above zero is HIDDEN too, so that the hidden cells are never one total
    less the shown ones. When the total itself is under SMALL_CELL, so is every cell, and all
    but the zeros are suppressed.
    """
    shown: list[Count] = [suppress(count) for count in counts]
    hidden = [i for i, cell in enumerate(shown) if not isinstance(cell, int)]
    partners = [i for i, cell in enumerate(shown) if isinstance(cell, int) and cell > 0]
    if len(hidden) == 1 and partners:
        partner = min(partners, key=lambda i: (counts[i], i))
        shown[partner] = HIDDEN
    return shown


def age_band(birth_date: date | None, on: date) -> AgeBand | None:
    if birth_date is None:
        return None
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age < 25:
        return AgeBand.UNDER_25
    if age < 35:
        return AgeBand.FROM_25
    if age < 45:
        return AgeBand.FROM_35
    if age < 55:
        return AgeBand.FROM_45
    return AgeBand.FROM_55


def build_report(
    *, session: Session, actor: StaffMember, period: Period, zone: tzinfo = AGENCY_ZONE
) -> Report:
    if not actor.can(Permission.REPORT_VIEW):
        raise PermissionDenied(Permission.REPORT_VIEW.value)
    since, until = _moments(period, zone)
    meetings = session.execute(
        select(Meeting.person_id, Meeting.kind, Meeting.occurred_at)
        .join(Person, Person.id == Meeting.person_id)
        .where(Person.restricted.is_(False))
        .where(Meeting.occurred_at >= since, Meeting.occurred_at < until)
    ).all()
    met_ids = {person_id for person_id, _, _ in meetings}
    new_customers = _new_customers(session, period)
    audit.record(
        session=session, actor=actor.slack_user_id, action=REPORT_ACTION, purpose=Purpose.REPORTING
    )
    return Report(
        period=period,
        new_customers=suppress(new_customers),
        customers_met=suppress(len(met_ids)),
        meetings=suppress(len(meetings)),
        meetings_by_kind=_rows(
            Counter(MeetingKind(kind).value for _, kind, _ in meetings), order=list(MeetingKind)
        ),
        meetings_by_month=_months(
            period, Counter(f"{occurred.astimezone(zone):%Y-%m}" for _, _, occurred in meetings)
        ),
        breakdowns=_breakdowns(session, met_ids, period.end),
        has_data=bool(meetings) or new_customers > 0,
    )


def _moments(period: Period, zone: tzinfo) -> tuple[datetime, datetime]:
    since = datetime.combine(period.start, time(), tzinfo=zone)
    until = datetime.combine(period.end + timedelta(days=1), time(), tzinfo=zone)
    return since.astimezone(UTC), until.astimezone(UTC)


def _new_customers(session: Session, period: Period) -> int:
    started = session.scalars(
        select(Relationship.person_id)
        .join(Person, Person.id == Relationship.person_id)
        .where(Person.restricted.is_(False))
        .where(Relationship.kind == RelationshipKind.CUSTOMER)
        .where(Relationship.started_on >= period.start, Relationship.started_on <= period.end)
    ).all()
    return len(set(started))


def _breakdowns(session: Session, person_ids: set[int], on: date) -> dict[str, tuple[Row, ...]]:
    counters: dict[str, Counter[str | None]] = {name: Counter() for name in BREAKDOWNS}
    ids = sorted(person_ids)
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        people = session.execute(
            select(
                Person.municipality,
                Person.employment_status,
                Person.labour_market_position,
                Person.education,
                Person.birth_date,
                Person.gender,
                Person.heard_from,
            ).where(Person.id.in_(chunk))
        ).all()
        for person in people:
            values = {
                "municipality": person.municipality,
                "employment_status": person.employment_status,
                "labour_market_position": person.labour_market_position,
                "education": person.education,
                "age_band": age_band(person.birth_date, on),
                "gender": person.gender,
                "heard_from": person.heard_from,
            }
            for name, value in values.items():
                counters[name][str(value) if value is not None else None] += 1
    return {
        name: _rows(counters[name], order=list(AgeBand) if name == "age_band" else None)
        for name in BREAKDOWNS
    }


def _rows(counter: Counter[str | None], *, order: Iterable[str] | None = None) -> tuple[Row, ...]:
    """The counted values, in `order` where given, else by count then name; unknown last."""
    known = [value for value in counter if value is not None]
    if order is not None:
        ranks = {value: i for i, value in enumerate(order)}
        known.sort(key=lambda value: ranks.get(value, len(ranks)))
    else:
        known.sort(key=lambda value: (-counter[value], value))
    values: list[str | None] = [*known, *([None] if counter[None] else [])]
    counts = protect([counter[value] for value in values])
    return tuple(Row(value, count) for value, count in zip(values, counts, strict=True))


def _months(period: Period, counter: Counter[str]) -> tuple[Row, ...]:
    months = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    counts = protect([counter[key] for key in months])
    return tuple(Row(key, count) for key, count in zip(months, counts, strict=True))
