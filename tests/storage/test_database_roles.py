"""PostgreSQL: the bot runs as a role that owns nothing and may only append to and read the
audit trail. SQLite has no roles: there the file's permissions are the wall."""

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage import audit, erasure
from storage.db import Database
from storage.migrate import upgrade
from storage.models import THE_AGENCY, Agency, Base
from storage.models.enums import Role
from tests.databases import APP_ROLE, CHAIN_KEY, POSTGRES_URL, as_role, login_role
from tests.people import add_person, add_staff
from tests.tampering import lift_audit_guards

APPEND_ONLY = {
    "audit_events",
    "audit_seals",
    "audit_event_persons",
    "audit_chain_epochs",
    "audit_chain_prunings",
}
# The sealer's queue: the bot appends to it and empties it, and never changes a row.
QUEUE = "audit_pending"
# The agencies: the bot reads, adds and changes them, and never deletes one.
AGENCIES = "agencies"
TAMPERING = {
    "disable triggers": "ALTER TABLE audit_events DISABLE TRIGGER USER",
    "delete": "DELETE FROM audit_events",
    "update": "UPDATE audit_events SET purpose = 'x'",
    "truncate": "TRUNCATE audit_events",
    "move the key boundary": "UPDATE audit_chain_epochs SET keyed_after_seq = 0",
    "change a seal": "UPDATE audit_seals SET hash = 'x'",
    "delete a seal": "DELETE FROM audit_seals",
    "truncate the seals": "TRUNCATE audit_seals",
    "change a person link": "UPDATE audit_event_persons SET person_id = 2",
    "delete a person link": "DELETE FROM audit_event_persons",
    "remove the key boundary": "DELETE FROM audit_chain_epochs",
    "drop the table": "DROP TABLE audit_events",
    "move an event to another agency": "UPDATE audit_events SET agency_id = 2",
    "move a seal to another agency's chain": "UPDATE audit_seals SET agency_id = 2",
    "move a person link to another agency": "UPDATE audit_event_persons SET agency_id = 2",
    "move the key boundary to another agency": "UPDATE audit_chain_epochs SET agency_id = 2",
}


@pytest.fixture
def postgresql(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no roles")


@pytest.fixture
def as_bot(postgresql: None, database: Database) -> Iterator[Database]:
    """The test's database as the bot reaches it: a login role in the group register_app."""
    with login_role(member_of=APP_ROLE) as role:
        bot = Database(as_role(database.url, role), audit_chain_key=CHAIN_KEY)
        yield bot
        bot.dispose()


def test_the_bot_role_appends_to_and_reads_the_audit_trail(as_bot: Database) -> None:
    with as_bot.transaction() as session:
        audit.record(session=session, actor="U1", action="person.view", person_id=1)
        audit.record(session=session, actor="U1", action="person.view", person_id=2)
    with as_bot.transaction() as session:
        report = audit.verify_chain(session=session)
    assert report.intact and report.checked == 2 and report.pending == 0


def test_the_bot_role_seals_and_checks_each_agencys_chain(as_bot: Database) -> None:
    with as_bot.transaction() as session:
        other = Agency(slack_team_id="T0OTHER", name="Toinen yrityskeskus")
        session.add(other)
        session.flush()
        agencies = (THE_AGENCY, other.id)
    for person_id in (1, 2):
        for agency in agencies:
            with as_bot.transaction(agency=agency) as session:
                audit.record(session=session, actor="U1", action="person.view", person_id=person_id)
    for agency in agencies:
        with as_bot.transaction(agency=agency) as session:
            report = audit.verify_chain(session=session)
        assert report.intact and report.checked == 2 and report.head is not None
        assert report.head.seq == 2


@pytest.mark.parametrize("statement", TAMPERING.values(), ids=TAMPERING.keys())
def test_the_bot_role_cannot_change_the_audit_trail(as_bot: Database, statement: str) -> None:
    with as_bot.transaction() as session:
        audit.record(session=session, actor="U1", action="person.view", person_id=1)
    with as_bot.transaction() as session:
        audit.seal_pending(session=session)
    refused = pytest.raises(DBAPIError, match=r"must be owner|permission denied")
    with refused, as_bot.transaction() as session:
        session.execute(text(statement))


def test_the_bot_role_may_change_the_rest_of_the_register(
    as_bot: Database, database: Database
) -> None:
    with as_bot.transaction() as session:
        controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
        person = add_person(session, "Testi", "Rooli")
        erasure.erase(session=session, actor=controller, person_id=person.id, request_id=None)
    with database.engine.connect() as owner:
        for table in Base.metadata.sorted_tables:
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
                allowed = owner.scalar(
                    text(f"SELECT has_table_privilege('{APP_ROLE}', :table, '{privilege}')"),
                    {"table": table.name},
                )
                expected = (
                    privilege in ("SELECT", "INSERT")
                    or (table.name == QUEUE and privilege == "DELETE")
                    or (table.name == AGENCIES and privilege == "UPDATE")
                    or table.name not in APPEND_ONLY | {QUEUE, AGENCIES}
                )
                assert allowed is expected, (table.name, privilege)


def test_tables_a_later_migration_adds_reach_the_bot_role(
    as_bot: Database, database: Database
) -> None:
    with database.engine.begin() as owner:
        owner.execute(text("CREATE TABLE later_table (id serial PRIMARY KEY, note text)"))
    with as_bot.transaction() as session:
        session.execute(text("INSERT INTO later_table (note) VALUES ('made up')"))
        session.execute(text("DELETE FROM later_table"))


def test_an_owner_without_superuser_migrates_and_the_bot_still_cannot_tamper(
    postgresql: None,
) -> None:
    """The set-up in docs/operations.md: an owner role with a database of its own migrates."""
    with login_role(owns_database=True) as owner_role, login_role(member_of=APP_ROLE) as bot_role:
        owner = Database(as_role(POSTGRES_URL, owner_role, database=owner_role))
        bot = Database(
            as_role(POSTGRES_URL, bot_role, database=owner_role), audit_chain_key=CHAIN_KEY
        )
        try:
            upgrade(owner.engine)
            with bot.transaction() as session:
                audit.record(session=session, actor="U1", action="person.view", person_id=1)
            refused = pytest.raises(DBAPIError, match="must be owner")
            with refused, bot.transaction() as session:
                lift_audit_guards(session)
            with owner.engine.begin() as connection:
                lift_audit_guards(connection)  # the owner can: the keyed chain and anchors tell
        finally:
            bot.dispose()
            owner.dispose()
