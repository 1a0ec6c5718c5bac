"""Revision 0021 on the one chain revision 0019 left: its events, seals (of the format before
agencies), epoch and pruning become agency 1's chain and still verify against an anchor taken
before; new events of agency 1 chain onto it, another agency's chain counts from 1 beside it,
and the guards still hold. Going back is refused once a chain of agencies has begun."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Connection, delete, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from storage import audit
from storage.audit_chain import EVENT_FORMAT, epoch_seal, pruning_seal, seal_hash
from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import (
    THE_AGENCY,
    Agency,
    AuditChainEpoch,
    AuditChainPruning,
    AuditEvent,
    AuditEventPerson,
    AuditPending,
    AuditSeal,
)
from storage.models.enums import AuditOutcome
from tests.databases import CHAIN_KEY

BEFORE = "0020"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
EVENTS = AuditEvent.__table__
PERSONS = AuditEventPerson.__table__
SEALS = AuditSeal.__table__


@dataclass(frozen=True)
class Event:
    id: int
    at: datetime
    person_id: int | None
    actor: str = "U1"
    action: str = "person.view"
    purpose: str | None = "advice"
    outcome: AuditOutcome = AuditOutcome.ALLOWED
    target: str | None = None


def one_chain(connection: Connection, count: int = 4, pruned: int = 2) -> audit.Anchor:
    """`count` events sealed in the one chain as revision 0019's sealer sealed them, the first
    `pruned` of them pruned since; the anchor of its head."""
    connection.execute(
        insert(AuditChainEpoch.__table__).values(
            agency_id=THE_AGENCY,
            keyed_after_seq=0,
            seal=epoch_seal(CHAIN_KEY, 0, None),
            created_at=START,
        )
    )
    previous_hash, hashes, ids = audit.GENESIS_HASH, [], []
    for n in range(1, count + 1):
        at = START + timedelta(minutes=n)
        values = {"at": at, "actor": "U1", "action": "person.view", "person_id": 10 + n}
        values |= {"purpose": "advice", "outcome": AuditOutcome.ALLOWED, "agency_id": THE_AGENCY}
        event_id = connection.execute(insert(EVENTS).values(values).returning(EVENTS.c.id))
        event = Event(id=event_id.scalar_one(), at=at, person_id=10 + n)
        connection.execute(
            insert(PERSONS).values(agency_id=THE_AGENCY, event_id=event.id, person_id=10 + n)
        )
        digest = seal_hash(
            key=CHAIN_KEY,
            agency=None,
            seq=n,
            previous_hash=previous_hash,
            event=event,
            person_ids=[10 + n],
        )
        connection.execute(
            insert(SEALS).values(
                agency_id=THE_AGENCY,
                seq=n,
                event_id=event.id,
                format=EVENT_FORMAT,
                previous_hash=previous_hash,
                hash=digest,
                sealed_at=at,
            )
        )
        previous_hash = digest
        hashes.append(digest)
        ids.append(event.id)
    connection.execute(delete(AuditPending.__table__))
    connection.execute(
        insert(AuditChainPruning.__table__).values(
            agency_id=THE_AGENCY,
            pruned_through_seq=pruned,
            last_hash=hashes[pruned - 1],
            pruned_count=pruned,
            seal=pruning_seal(CHAIN_KEY, pruned, hashes[pruned - 1], pruned, None),
            pruned_at=START + timedelta(days=1),
        )
    )
    pruned_ids = ids[:pruned]
    connection.execute(delete(PERSONS).where(PERSONS.c.event_id.in_(pruned_ids)))
    connection.execute(delete(EVENTS).where(EVENTS.c.id.in_(pruned_ids)))
    connection.execute(delete(SEALS).where(SEALS.c.seq <= pruned))
    return audit.Anchor(event_id=ids[-1], hash=hashes[-1], count=count, at=START, seq=count)


def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def add_agency(database: Database) -> int:
    with database.transaction() as session:
        agency = Agency(slack_team_id="T0OTHER", name="Toinen yrityskeskus")
        session.add(agency)
        session.flush()
        return agency.id


def primary_key(database: Database) -> list[str]:
    constraint = inspect(database.engine).get_pk_constraint("audit_seals")
    return list(constraint["constrained_columns"])


def test_the_one_chain_becomes_agency_1s_and_a_second_chain_counts_from_1(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, BEFORE)
    with empty_database.engine.begin() as connection:
        anchor = one_chain(connection)

    upgrade(empty_database.engine)

    assert primary_key(empty_database) == ["agency_id", "seq"]
    with empty_database.transaction() as session:
        report = audit.verify_chain(session=session, anchor=anchor)
        assert report.intact and (report.checked, report.pruned) == (2, 2)
        audit.record(session=session, actor="U1", action="person.view", person_id=11)
    other = add_agency(empty_database)
    with empty_database.transaction(agency=other) as session:
        for person_id in range(1, 6):
            audit.record(session=session, actor="U2", action="person.view", person_id=person_id)

    with empty_database.transaction() as session:
        ours = audit.verify_chain(session=session, anchor=anchor)
        assert ours.intact and ours.checked == 3
        assert ours.head is not None and ours.head.seq == 5 and ours.head.count == 5
        formats = session.scalars(select(AuditSeal.format).order_by(AuditSeal.seq))
        assert list(formats) == [EVENT_FORMAT, EVENT_FORMAT, 3]
    with empty_database.transaction(agency=other) as session:
        theirs = audit.verify_chain(session=session)
        assert theirs.intact and theirs.checked == 5
        places = session.scalars(select(AuditSeal.seq).order_by(AuditSeal.seq))
        assert list(places) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_seals SET hash = 'x'",
        "UPDATE audit_events SET agency_id = 2",
        "DELETE FROM audit_seals WHERE seq > 2",
        "DELETE FROM audit_events",
        "DELETE FROM audit_event_persons",
    ],
)
def test_the_guards_still_hold(empty_database: Database, statement: str) -> None:
    upgrade(empty_database.engine, BEFORE)
    with empty_database.engine.begin() as connection:
        one_chain(connection)
    upgrade(empty_database.engine)

    with pytest.raises(DBAPIError, match="append-only"), empty_database.engine.begin() as owner:
        owner.execute(text(statement))


def test_going_back_keeps_the_one_chain_and_is_refused_after_a_second(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, BEFORE)
    with empty_database.engine.begin() as connection:
        one_chain(connection)
    upgrade(empty_database.engine)

    downgrade(empty_database, BEFORE)

    assert primary_key(empty_database) == ["seq"]
    with empty_database.engine.begin() as connection:
        connection.execute(
            insert(EVENTS).values(
                at=START,
                actor="U1",
                action="person.view",
                outcome=AuditOutcome.ALLOWED,
                agency_id=THE_AGENCY,
            )
        )
        queued = connection.execute(text("SELECT COUNT(*) FROM audit_pending")).scalar_one()
        assert queued == 1
        connection.execute(delete(AuditPending.__table__))
    upgrade(empty_database.engine)
    other = add_agency(empty_database)
    with empty_database.transaction(agency=other) as session:
        audit.record(session=session, actor="U2", action="person.view", person_id=1)
        audit.seal_pending(session=session)
    with pytest.raises(RuntimeError, match="no place in the one chain"):
        downgrade(empty_database, BEFORE)
