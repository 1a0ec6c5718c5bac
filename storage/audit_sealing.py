"""The sealer: gives the events appended since its last run their places in the chain.

An append writes its event and its person links in the transaction of the act, and takes no
lock; a trigger on `audit_events` puts each new event into the queue (`audit_pending`). A
sealer then reads the queue in id order, seals each event with the one before it
(storage.audit_chain.seal_hash) into `audit_seals`, and empties the queue of them, all in one
transaction. One sealer seals at a time: on PostgreSQL
under an advisory lock of its own, which another sealer only tries (and leaves the batch to
the one holding it); on SQLite the transaction holds the database's write lock.

`appended` is set when a transaction that appended events commits, so a sealer waiting on it
in this process can start at once.
"""

import threading
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, event, exists, select, text
from sqlalchemy.orm import Session

from storage.audit_chain import (
    EVENT_FORMAT,
    GENESIS_HASH,
    chain_key,
    chain_start,
    ensure_epoch,
    seal_hash,
)
from storage.bulk import among, insert_rows
from storage.models import AuditEvent, AuditEventPerson, AuditPending, AuditSeal
from storage.models.base import utcnow

# Any constant: the PostgreSQL advisory lock of whoever extends (or prunes) the chain.
SEALER_LOCK_KEY = 0x61756473
BATCH = 5000
APPENDED = "audit_appended"

appended = threading.Event()


def mark_appended(session: Session) -> None:
    session.info[APPENDED] = True


@event.listens_for(Session, "after_commit")
def _wake_the_sealer(session: Session) -> None:
    if session.info.pop(APPENDED, False):
        appended.set()


@event.listens_for(Session, "after_rollback")
def _forget_the_appends(session: Session) -> None:
    session.info.pop(APPENDED, None)


def take_chain_lock(session: Session, *, wait: bool) -> bool:
    """Holds the chain's head until the transaction ends; False if another holds it and
    `wait` is False."""
    if session.get_bind().dialect.name == "postgresql":
        if wait:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEALER_LOCK_KEY})
            return True
        taken = session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": SEALER_LOCK_KEY}
        )
        return bool(taken)
    # A write before the head is read: a transaction that began as a reader takes SQLite's
    # write lock here (storage.db), so the head it reads next stays the head.
    session.execute(delete(AuditPending).where(AuditPending.event_id < 0))
    return True


def chain_head(session: Session) -> tuple[int, str]:
    """The last place in the chain and its hash: the newest seal, else the pruning's."""
    last = session.execute(
        select(AuditSeal.seq, AuditSeal.hash).order_by(AuditSeal.seq.desc()).limit(1)
    ).first()
    if last is not None:
        return last.seq, last.hash
    start = chain_start(session)
    return (start.pruned_through_seq, start.last_hash) if start else (0, GENESIS_HASH)


def has_pending(*, session: Session) -> bool:
    return bool(session.scalar(select(exists().where(AuditPending.event_id.is_not(None)))))


def persons_of(session: Session, event_ids: Collection[int]) -> dict[int, list[int]]:
    persons: dict[int, list[int]] = defaultdict(list)
    if not event_ids:
        return persons
    rows = session.execute(
        select(AuditEventPerson.event_id, AuditEventPerson.person_id).where(
            among(session, AuditEventPerson.event_id, event_ids)
        )
    )
    for event_id, person_id in rows:
        persons[event_id].append(person_id)
    return persons


def seal_pending(*, session: Session, key: bytes | None = None, limit: int = BATCH) -> int:
    """Seals up to `limit` queued events, oldest id first; how many it sealed (0 also when
    another sealer holds the chain). The caller commits."""
    key = chain_key(session, key)
    if not has_pending(session=session) or not take_chain_lock(session, wait=False):
        return 0
    queued = list(
        session.scalars(select(AuditPending.event_id).order_by(AuditPending.event_id).limit(limit))
    )
    if not queued:
        return 0
    events = {
        row.id: row
        for row in session.scalars(select(AuditEvent).where(among(session, AuditEvent.id, queued)))
    }
    persons = persons_of(session, list(events))
    seq, previous_hash = chain_head(session)
    ensure_epoch(session, key, seq)
    sealed_at = utcnow()
    seals: list[dict[str, Any]] = []
    for event_id in queued:
        appended_event = events.get(event_id)
        if appended_event is None:
            continue  # its event is gone (only a database owner can delete one): nothing to seal
        seq += 1
        digest = seal_hash(
            key=key,
            seq=seq,
            previous_hash=previous_hash,
            event=appended_event,
            person_ids=persons.get(event_id, ()),
        )
        seals.append(
            {
                "seq": seq,
                "event_id": event_id,
                "format": EVENT_FORMAT,
                "previous_hash": previous_hash,
                "hash": digest,
                "sealed_at": sealed_at,
            }
        )
        previous_hash = digest
    insert_rows(session, AuditSeal, seals)
    session.execute(
        delete(AuditPending)
        .where(among(session, AuditPending.event_id, queued))
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return len(seals)
