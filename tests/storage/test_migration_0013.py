"""Revision 0013 on a trail an earlier version sealed row by row: its hashes move into seals that
the old formula still checks, its persons become links, new events chain onto it, and an
anchor taken before still holds; going back restores the hashes into the events."""

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Connection, text

from storage import audit
from storage.audit_chain import epoch_seal, event_hash
from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models.enums import AuditOutcome
from tests.databases import CHAIN_KEY

BEFORE = "0012"
START = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
EVENT = text(
    "INSERT INTO audit_events (id, at, actor, action, person_id, purpose, outcome, target, "
    "previous_hash, hash) VALUES (:id, :at, 'U1', 'person.view', :person_id, 'advice', 'allowed', "
    "NULL, :previous_hash, :hash)"
)
EPOCH = text(
    "INSERT INTO audit_chain_epochs (keyed_after_id, seal, created_at) VALUES (:after, :seal, :at)"
)


def legacy_trail(connection: Connection) -> list[str]:
    """Events 1 and 2 sealed before any key, 4 and 5 under it (3 was a rolled-back id)."""
    previous_hash, hashes = audit.GENESIS_HASH, []
    for event_id, person_id in ((1, 11), (2, None), (4, 12), (5, 11)):
        at = START + timedelta(minutes=event_id)
        if event_id == 4:
            connection.execute(
                EPOCH, {"after": 2, "seal": epoch_seal(CHAIN_KEY, 2, None), "at": at}
            )
        digest = event_hash(
            key=CHAIN_KEY if event_id > 2 else None,
            previous_hash=previous_hash,
            at=at,
            actor="U1",
            action="person.view",
            person_id=person_id,
            purpose="advice",
            outcome=AuditOutcome.ALLOWED,
        )
        row = {"id": event_id, "at": at, "person_id": person_id}
        connection.execute(EVENT, row | {"previous_hash": previous_hash, "hash": digest})
        previous_hash = digest
        hashes.append(digest)
    if connection.dialect.name == "postgresql":  # as the ids had come from the sequence
        connection.execute(text("SELECT setval(pg_get_serial_sequence('audit_events', 'id'), 5)"))
    return hashes


def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_the_legacy_chain_verifies_in_seals_and_new_events_chain_onto_it(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, BEFORE)
    with empty_database.engine.begin() as connection:
        hashes = legacy_trail(connection)
    before = audit.Anchor(event_id=5, hash=hashes[-1], count=4, at=START)

    upgrade(empty_database.engine)

    with empty_database.transaction() as session:
        report = audit.verify_chain(session=session, anchor=before)
        assert report.intact and (report.checked, report.plain) == (4, 2)
        links = session.execute(
            text("SELECT event_id, person_id FROM audit_event_persons ORDER BY event_id")
        )
        assert [tuple(link) for link in links] == [(1, 11), (4, 12), (5, 11)]
        new = audit.record(session=session, actor="U1", action="person.view", person_id=11)
    with empty_database.transaction() as session:
        report = audit.verify_chain(session=session, anchor=before)
        assert report.intact and report.checked == 5
        assert report.head is not None and report.head.event_id == new.id
        assert report.head.seq == 6  # after the last legacy place, event 5's


def test_going_back_puts_the_hashes_into_the_events_again(empty_database: Database) -> None:
    upgrade(empty_database.engine, BEFORE)
    with empty_database.engine.begin() as connection:
        hashes = legacy_trail(connection)
    upgrade(empty_database.engine)

    downgrade(empty_database, BEFORE)

    with empty_database.engine.begin() as connection:
        kept = connection.execute(text("SELECT hash FROM audit_events ORDER BY id")).scalars()
        assert list(kept) == hashes
        with pytest.raises(Exception, match="append-only"):
            connection.execute(text("UPDATE audit_events SET purpose = 'x'"))
