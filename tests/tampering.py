"""Plays the tamperer: lifts the database's guards on the audit trail, as an intruder could, and
reseals the chain with plain SHA-256, as whoever reads the code but lacks the key would."""

import hashlib
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, text, update
from sqlalchemy.orm import Session

from storage.models import AuditChainEpoch, AuditEvent

EVENTS = AuditEvent.__table__


def lift_audit_guards(executor: Connection | Session) -> None:
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    if bind.dialect.name == "postgresql":
        executor.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    else:
        executor.execute(text("DROP TRIGGER audit_events_no_update"))
        executor.execute(text("DROP TRIGGER audit_events_no_delete"))


def plain_hash(previous_hash: str, row: dict[str, object]) -> str:
    """The unkeyed seal: SHA-256 over the same fields, in the same order."""
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


def reseal_with_plain_sha256(executor: Connection | Session) -> None:
    """Recomputes every row's seal in order, as the chain was before it was keyed."""
    previous_hash = "0" * 64
    rows = executor.execute(select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    for row in rows:
        digest = plain_hash(previous_hash, dict(row))
        executor.execute(
            update(EVENTS)
            .where(EVENTS.c.id == row["id"])
            .values(previous_hash=previous_hash, hash=digest)
        )
        previous_hash = digest


def remove_chain_epochs(executor: Connection | Session) -> None:
    executor.execute(delete(AuditChainEpoch))


def append_plain_events(executor: Connection | Session, rows: list[dict[str, object]]) -> None:
    """Events as a version of the bot before the key wrote them: plain SHA-256, no epoch."""
    last = executor.execute(select(EVENTS.c.hash).order_by(EVENTS.c.id.desc()).limit(1)).scalar()
    previous_hash = last or "0" * 64
    for row in rows:
        digest = plain_hash(previous_hash, row)
        executor.execute(insert(EVENTS).values(**row, previous_hash=previous_hash, hash=digest))
        previous_hash = digest
