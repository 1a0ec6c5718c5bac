"""Plays the tamperer: lifts the database's guards on the audit trail, as an intruder could, and
reseals the chain with plain SHA-256, as whoever reads the code but lacks the key would."""

import hashlib
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.orm import Session

from storage.audit import GENESIS_HASH
from storage.models import (
    AuditChainEpoch,
    AuditEvent,
    AuditEventPerson,
    AuditPending,
    AuditSeal,
)

EVENTS = AuditEvent.__table__
SEALS = AuditSeal.__table__
GUARDED = ("audit_events", "audit_seals", "audit_event_persons")
LEGACY_FORMAT = 1


def lift_audit_guards(executor: Connection | Session) -> None:
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    for table in GUARDED:
        if bind.dialect.name == "postgresql":
            executor.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            executor.execute(text(f"DROP TRIGGER {table}_no_update"))
            executor.execute(text(f"DROP TRIGGER {table}_no_delete"))


def plain_hash(previous_hash: str, row: dict[str, object]) -> str:
    """The unkeyed seal of an event of format 1: SHA-256 over its fields, in the same order."""
    at: datetime = row["at"]  # type: ignore[assignment]
    outcome = row["outcome"]
    fields = [
        previous_hash,
        at.isoformat(timespec="microseconds"),
        str(row["actor"]),
        str(row["action"]),
        "" if row["person_id"] is None else str(row["person_id"]),
        str(row["purpose"] or ""),
        str(getattr(outcome, "value", outcome)),
    ]
    if row.get("target") is not None:
        fields.append(str(row["target"]))
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def seal_of(executor: Connection | Session, event_id: int) -> AuditSeal:
    """An event's seal, as a row with the model's attributes."""
    return executor.execute(select(SEALS).where(SEALS.c.event_id == event_id)).one()  # type: ignore[return-value]


def reseal_with_plain_sha256(executor: Connection | Session) -> None:
    """Recomputes every seal in the chain's order, as the chain was before it was keyed."""
    previous_hash = GENESIS_HASH
    rows = (
        executor.execute(
            select(SEALS.c.seq, EVENTS)
            .join(EVENTS, EVENTS.c.id == SEALS.c.event_id)
            .order_by(SEALS.c.seq)
        )
        .mappings()
        .all()
    )
    for row in rows:
        digest = plain_hash(previous_hash, dict(row))
        executor.execute(
            update(SEALS)
            .where(SEALS.c.seq == row["seq"])
            .values(format=LEGACY_FORMAT, previous_hash=previous_hash, hash=digest)
        )
        previous_hash = digest


def remove_events(executor: Connection | Session, event_ids: list[int]) -> None:
    """Events removed with their seals and person links, leaving nothing that points at them."""
    executor.execute(delete(AuditEventPerson).where(AuditEventPerson.event_id.in_(event_ids)))
    executor.execute(delete(AuditSeal).where(AuditSeal.event_id.in_(event_ids)))
    executor.execute(delete(AuditEvent).where(AuditEvent.id.in_(event_ids)))


def remove_chain_epochs(executor: Connection | Session) -> None:
    executor.execute(delete(AuditChainEpoch))


def append_plain_events(executor: Connection | Session, rows: list[dict[str, object]]) -> None:
    """Events as a version of the bot before the key wrote them: plain SHA-256, no epoch, one
    event per person, sealed as appended (what revision 0013 moved into audit_seals)."""
    last = executor.execute(select(SEALS.c.hash).order_by(SEALS.c.seq.desc()).limit(1)).scalar()
    previous_hash = last or GENESIS_HASH
    for row in rows:
        digest = plain_hash(previous_hash, row)
        event_id = executor.execute(insert(EVENTS).values(**row).returning(EVENTS.c.id)).scalar()
        executor.execute(
            insert(SEALS).values(
                seq=event_id,
                event_id=event_id,
                format=LEGACY_FORMAT,
                previous_hash=previous_hash,
                hash=digest,
                sealed_at=row["at"],
            )
        )
        # Sealed as appended: nothing for the sealer (the database queued it, as it does today).
        executor.execute(delete(AuditPending).where(AuditPending.event_id == event_id))
        if row.get("person_id") is not None:
            executor.execute(
                insert(AuditEventPerson).values(event_id=event_id, person_id=row["person_id"])
            )
        previous_hash = digest
