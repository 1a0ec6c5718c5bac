"""The sealer: gives the events appended since its last run their places in their agency's
chain.

An append writes its event and its person links in the transaction of the act, and takes no
lock; a trigger on `audit_events` puts each new event into the queue (`audit_pending`), in the
event's agency. A sealer acting for an agency then reads that agency's queue in id order, seals
each event with the one before it in the agency's chain (storage.audit_chain.seal_hash) into
`audit_seals`, and empties the queue of them, all in one transaction. One sealer extends an
agency's chain at a time: on PostgreSQL under an advisory lock of that agency's, which another
sealer only tries (and leaves the batch to the one holding it), while the sealers of other
agencies go on; on SQLite the transaction holds the database's write lock.

`appended` is set when a transaction that appended events commits, and `woken_agencies` says
for which agencies, so a sealer waiting on it in this process can start at once with them.
"""

import threading
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, event, exists, select, text
from sqlalchemy.orm import Session

from storage.audit_chain import (
    AGENCY_FORMAT,
    GENESIS_HASH,
    chain_agency,
    chain_key,
    chain_start,
    ensure_epoch,
    seal_hash,
)
from storage.bulk import among, insert_rows
from storage.models import Agency, AuditEvent, AuditEventPerson, AuditPending, AuditSeal
from storage.models.base import utcnow

# Any constant: with the agency, the PostgreSQL advisory lock of whoever extends (or prunes)
# that agency's chain.
SEALER_LOCK_KEY = 0x61756473
BATCH = 5000
APPENDED = "audit_appended"

appended = threading.Event()
_woken: set[int] = set()
_woken_lock = threading.Lock()


def mark_appended(session: Session, agency: int) -> None:
    session.info.setdefault(APPENDED, set()).add(agency)


@event.listens_for(Session, "after_commit")
def _wake_the_sealer(session: Session) -> None:
    agencies = session.info.pop(APPENDED, None)
    if agencies:
        with _woken_lock:
            _woken.update(agencies)
        appended.set()


@event.listens_for(Session, "after_rollback")
def _forget_the_appends(session: Session) -> None:
    session.info.pop(APPENDED, None)


def woken_agencies() -> set[int]:
    """The agencies whose events this process committed since the last call."""
    with _woken_lock:
        agencies = set(_woken)
        _woken.clear()
    return agencies


def agencies(*, session: Session) -> list[int]:
    """Every agency, each with a chain of its own (installed or not: a register stays)."""
    return list(session.scalars(select(Agency.id).order_by(Agency.id)))


def take_chain_lock(session: Session, *, wait: bool) -> bool:
    """Holds the head of the session's agency's chain until the transaction ends; False if
    another holds it and `wait` is False."""
    if session.get_bind().dialect.name == "postgresql":
        key = {"key": SEALER_LOCK_KEY, "agency": chain_agency(session)}
        if wait:
            session.execute(text("SELECT pg_advisory_xact_lock(:key, :agency)"), key)
            return True
        taken = session.scalar(text("SELECT pg_try_advisory_xact_lock(:key, :agency)"), key)
        return bool(taken)
    # A write before the head is read: a transaction that began as a reader takes SQLite's
    # write lock here (storage.db), so the head it reads next stays the head.
    session.execute(delete(AuditPending).where(AuditPending.event_id < 0))
    return True


def chain_head(session: Session) -> tuple[int, str]:
    """The last place in the session's agency's chain and its hash: the newest seal, else the
    pruning's."""
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
    """Seals up to `limit` of the session's agency's queued events into its chain, oldest id
    first; how many it sealed (0 also when another sealer holds the chain). The caller
    commits."""
    key = chain_key(session, key)
    agency = chain_agency(session)
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
            # Its event is gone, or is another agency's (only a database owner can delete or
            # move one): nothing to seal here, and the check names what the chain lost.
            continue
        seq += 1
        digest = seal_hash(
            key=key,
            agency=agency,
            seq=seq,
            previous_hash=previous_hash,
            event=appended_event,
            person_ids=persons.get(event_id, ()),
        )
        seals.append(
            {
                "agency_id": agency,
                "seq": seq,
                "event_id": event_id,
                "format": AGENCY_FORMAT,
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
