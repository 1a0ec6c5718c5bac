"""The audit trail: append-only rows, each hashed together with the one before it."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.errors import RefusedRead
from storage.models import AuditEvent
from storage.models.base import utcnow
from storage.models.enums import AuditOutcome

GENESIS_HASH = "0" * 64
# Any constant: PostgreSQL advisory lock that serialises appends until the transaction ends.
AUDIT_LOCK_KEY = 0x61756469


def event_hash(
    *,
    previous_hash: str,
    at: datetime,
    actor: str,
    action: str,
    person_id: int | None,
    purpose: str | None,
    outcome: AuditOutcome,
) -> str:
    fields = [
        previous_hash,
        at.isoformat(timespec="microseconds"),
        actor,
        action,
        "" if person_id is None else str(person_id),
        purpose or "",
        outcome.value,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    last = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return last or GENESIS_HASH


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    person_id: int | None = None,
    purpose: str | None = None,
) -> AuditEvent:
    return record_many(
        session=session,
        actor=actor,
        action=action,
        outcome=outcome,
        person_ids=[person_id],
        purpose=purpose,
    )[0]


def record_many(
    *,
    session: Session,
    actor: str,
    action: str,
    person_ids: Iterable[int | None],
    purpose: str | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> list[AuditEvent]:
    """One row per person, e.g. every id a hit list showed."""
    previous_hash = _last_hash(session)
    at = utcnow()
    events = []
    for person_id in person_ids:
        fields = dict(
            at=at, actor=actor, action=action, person_id=person_id, purpose=purpose, outcome=outcome
        )
        digest = event_hash(previous_hash=previous_hash, **fields)  # type: ignore[arg-type]
        event = AuditEvent(previous_hash=previous_hash, hash=digest, **fields)
        session.add(event)
        events.append(event)
        previous_hash = digest
    session.flush()
    return events


def record_refusal(*, session: Session, refusal: RefusedRead) -> AuditEvent:
    return record(
        session=session,
        actor=refusal.actor,
        action=refusal.action,
        person_id=refusal.person_id,
        outcome=AuditOutcome.DENIED,
    )


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def verify_chain(*, session: Session) -> ChainReport:
    """Recomputes every hash in order; names the first row that does not follow."""
    previous_hash = GENESIS_HASH
    checked = 0
    rows = session.scalars(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)
    )
    for event in rows:
        expected = event_hash(
            previous_hash=previous_hash,
            at=event.at,
            actor=event.actor,
            action=event.action,
            person_id=event.person_id,
            purpose=event.purpose,
            outcome=event.outcome,
        )
        if event.previous_hash != previous_hash or event.hash != expected:
            return ChainReport(checked=checked, first_broken_id=event.id)
        previous_hash = event.hash
        checked += 1
    return ChainReport(checked=checked, first_broken_id=None)
