"""The audit trail: one append-only event per act, with the persons it concerns, written in the
act's own transaction and sealed into a hash chain shortly after.

Appending takes no lock: the event and its person links are plain inserts, stamped with the
agency the session acts for, and the database queues the event for the sealer itself (a
trigger, migrations 0016 and 0021). Each agency's events are sealed into a chain of its own.
The chain's formulas are in storage.audit_chain, the sealer in storage.audit_sealing, the check
in storage.audit_verification; their public names are here.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, literal, select
from sqlalchemy.orm import Session

from storage.audit_chain import (
    FIRST_CHAIN,
    GENESIS_HASH,
    MissingChainKey,
    chain_agency,
    chain_key,
    chain_start,
    epoch_seal,
    event_hash,
    pruning_seal,
    seal_hash,
    sealed_by_session_key,
    session_info,
)
from storage.audit_sealing import (
    chain_head,
    has_pending,
    mark_appended,
    seal_pending,
    take_chain_lock,
)
from storage.audit_verification import Anchor, ChainReport, MissingEvents, verify_chain
from storage.bulk import insert_rows
from storage.errors import AuditedRefusal
from storage.models import AuditEvent, AuditEventPerson, Person
from storage.models.base import table_of, utcnow
from storage.models.enums import AuditOutcome

# Built once: an act appends on every request, and building an insert costs more than the
# database's part of it.
_INSERT_EVENT = insert(table_of(AuditEvent))
_INSERT_PERSONS = insert(table_of(AuditEventPerson))


@dataclass(frozen=True)
class AppendedEvent:
    """An event as appended: its id, and its one person if it concerns exactly one."""

    id: int
    person_id: int | None


__all__ = [
    "FIRST_CHAIN",
    "GENESIS_HASH",
    "Anchor",
    "AppendedEvent",
    "ChainReport",
    "MissingChainKey",
    "MissingEvents",
    "chain_agency",
    "chain_head",
    "chain_key",
    "chain_start",
    "epoch_seal",
    "event_hash",
    "has_pending",
    "pruning_seal",
    "record",
    "record_bulk",
    "record_many",
    "record_refusal",
    "seal_hash",
    "seal_pending",
    "sealed_by_session_key",
    "session_info",
    "take_chain_lock",
    "verify_chain",
]


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    person_id: int | None = None,
    purpose: str | None = None,
    target: str | None = None,
    key: bytes | None = None,
) -> AppendedEvent:
    return record_many(
        session=session,
        actor=actor,
        action=action,
        outcome=outcome,
        person_ids=[person_id],
        purpose=purpose,
        target=target,
        key=key,
    )


def record_many(
    *,
    session: Session,
    actor: str,
    action: str,
    person_ids: Iterable[int | None],
    purpose: str | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    target: str | None = None,
    key: bytes | None = None,
) -> AppendedEvent:
    """One event for one act concerning `person_ids` (e.g. every id a hit list showed).

    `key`, or the session's, must be there: the sealer seals with it, and a process without one
    should not record what it cannot seal."""
    chain_key(session, key)
    agency = chain_agency(session)
    persons = sorted({person_id for person_id in person_ids if person_id is not None})
    event = _append(session, agency, actor, action, persons, purpose, outcome, target)
    if persons:
        session.connection().execute(
            _INSERT_PERSONS,
            [
                {"agency_id": agency, "event_id": event.id, "person_id": person_id}
                for person_id in persons
            ],
        )
    return event


def record_bulk(
    *,
    session: Session,
    actor: str,
    action: str,
    person_ids: Iterable[int | None],
    purpose: str | None = None,
) -> None:
    """As `record_many`, for thousands of persons at a time (an import): the links are written
    in one go, without an object each; nothing is recorded for no persons at all."""
    given = list(person_ids)
    if not given:
        return
    chain_key(session)
    agency = chain_agency(session)
    persons = sorted({person_id for person_id in given if person_id is not None})
    event = _append(session, agency, actor, action, persons, purpose, AuditOutcome.ALLOWED, None)
    insert_rows(
        session,
        AuditEventPerson,
        [
            {"agency_id": agency, "event_id": event.id, "person_id": person_id}
            for person_id in persons
        ],
    )


def record_for_every_person(
    *, session: Session, actor: str, action: str, purpose: str, target: str | None = None
) -> AppendedEvent:
    """One event for an act concerning every person of the agency's register (its export as a
    whole): the database links them from `persons`, none of them held here."""
    chain_key(session)
    agency = chain_agency(session)
    event = _append(session, agency, actor, action, [], purpose, AuditOutcome.ALLOWED, target)
    links = table_of(AuditEventPerson)
    session.execute(
        insert(links).from_select(
            ["agency_id", "event_id", "person_id"],
            select(literal(agency), literal(event.id), Person.id).where(Person.agency_id == agency),
        )
    )
    return event


def _append(
    session: Session,
    agency: int,
    actor: str,
    action: str,
    persons: list[int],
    purpose: str | None,
    outcome: AuditOutcome,
    target: str | None,
) -> AppendedEvent:
    """The event itself (the database queues it for the sealer, in its agency); its person
    links follow."""
    person_id = persons[0] if len(persons) == 1 else None
    inserted = session.connection().execute(
        _INSERT_EVENT,
        {
            "agency_id": agency,
            "at": utcnow(),
            "actor": actor,
            "action": action,
            "person_id": person_id,
            "purpose": purpose,
            "outcome": outcome,
            "target": target,
        },
    )
    mark_appended(session, agency)
    key = inserted.inserted_primary_key
    assert key is not None  # a single-row insert always has its key
    (event_id,) = key
    return AppendedEvent(id=event_id, person_id=person_id)


def record_refusal(*, session: Session, refusal: AuditedRefusal) -> AppendedEvent:
    return record(
        session=session,
        actor=refusal.actor,
        action=refusal.action,
        person_id=refusal.person_id,
        outcome=AuditOutcome.DENIED,
    )
