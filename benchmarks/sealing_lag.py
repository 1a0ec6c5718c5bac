"""How long the events a benchmark run appended waited for their seal: sealed_at - at, over
every event appended after a mark taken before the run (storage.audit_sealing)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from benchmarks.endpoint import percentile
from storage.db import Database
from storage.models import AuditEvent, AuditSeal

TARGET_MS = 1000.0


@dataclass(frozen=True)
class SealingLag:
    events: int
    unsealed: int
    max_ms: float
    p99_ms: float


def last_event_id(database: Database) -> int:
    with database.reading() as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def sealing_lag(database: Database, after_event_id: int) -> SealingLag:
    with database.reading() as session:
        rows = session.execute(
            select(AuditEvent.at, AuditSeal.sealed_at)
            .outerjoin(AuditSeal, AuditSeal.event_id == AuditEvent.id)
            .where(AuditEvent.id > after_event_id)
        ).all()
    lags = sorted((sealed - at).total_seconds() * 1000 for at, sealed in rows if sealed)
    p99 = percentile(lags, 0.99) if lags else float("nan")
    return SealingLag(
        events=len(rows),
        unsealed=len(rows) - len(lags),
        max_ms=lags[-1] if lags else float("nan"),
        p99_ms=p99,
    )


def describe(lag: SealingLag) -> str:
    over = "" if lag.max_ms <= TARGET_MS else "  (over the target)"
    return (
        f"  audit sealing lag over the {lag.events} events the run appended: max "
        f"{lag.max_ms:.0f} ms, p99 {lag.p99_ms:.0f} ms (target at most {TARGET_MS:.0f} ms); "
        f"{lag.unsealed} not sealed{over}"
    )
