"""Revision 0022 puts the wall between agencies on every table of one agency's rows (PostgreSQL
row-level security, forced on the owner too); going back takes it down. On SQLite it does
nothing. The migrations run here as the set-up in docs/operations.md has them run: as an owner
that is not a superuser, whom the wall holds."""

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.migrations import agency_wall
from tests.databases import POSTGRES_URL, TemplateDatabases, as_role, login_role

BEFORE = "0021"
SECOND_AGENCY = "INSERT INTO agencies (name, created_at) VALUES ('', CURRENT_TIMESTAMP)"
STAFF = (
    "INSERT INTO staff (slack_user_id, display_name, role, active, created_at, updated_at, "
    "agency_id) VALUES (:user, '', 'advisor', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :agency)"
)


@pytest.fixture
def owner(backend: str, templates: TemplateDatabases) -> Iterator[Database]:
    """An empty database, reached as its owner: on PostgreSQL a login role that is no
    superuser and owns the database."""
    if backend == "sqlite":
        url = templates.empty(backend)
        database = Database(url)
        yield database
        database.dispose()
        templates.drop(url)
        return
    with login_role(owns_database=True) as role:
        database = Database(as_role(POSTGRES_URL, role, database=role))
        yield database
        database.dispose()


def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


QUEUE_FUNCTION = "SELECT prosrc FROM pg_proc WHERE proname = 'audit_events_queue'"


def walled(connection: Connection) -> set[str]:
    with Operations.context(MigrationContext.configure(connection)):
        return set(agency_wall.walled_tables())


def test_every_migration_goes_up_down_and_up_again(owner: Database) -> None:
    upgrade(owner.engine)
    downgrade(owner, "base")
    upgrade(owner.engine)


def test_the_wall_goes_up_on_every_agency_table_and_comes_down_again(owner: Database) -> None:
    if owner.backend != "postgresql":
        pytest.skip("SQLite has no row-level security: the revision does nothing there")
    upgrade(owner.engine, BEFORE)
    with owner.engine.begin() as connection:
        connection.execute(text(SECOND_AGENCY))
        connection.execute(
            text(STAFF), [{"user": "UONE", "agency": 1}, {"user": "UTWO", "agency": 2}]
        )

    upgrade(owner.engine)
    with owner.engine.connect() as connection:
        with Operations.context(MigrationContext.configure(connection)):
            tables = set(agency_wall.agency_tables())
        assert "staff" in tables and "agencies" not in tables
        assert walled(connection) == tables
        assert connection.scalar(text("SELECT count(*) FROM staff")) == 0  # FORCE: the owner too
        assert "NEW.agency_id" in connection.scalar(text(QUEUE_FUNCTION))

    downgrade(owner, BEFORE)
    with owner.engine.connect() as connection:
        assert walled(connection) == set()
        assert connection.scalar(text("SELECT count(*) FROM staff")) == 2
        assert not connection.scalar(text("SELECT bool_or(relrowsecurity) FROM pg_class"))
        assert "agency_id" not in connection.scalar(text(QUEUE_FUNCTION))

    upgrade(owner.engine)
    with owner.engine.connect() as connection:
        assert walled(connection) == tables


def test_a_migration_acts_for_each_agency_in_turn(owner: Database) -> None:
    upgrade(owner.engine)
    with owner.engine.begin() as connection:
        connection.execute(text(SECOND_AGENCY))
        with Operations.context(MigrationContext.configure(connection)):
            for agency in agency_wall.each_agency():
                connection.execute(text(STAFF), {"user": f"U{agency}", "agency": agency})
            seen = {
                agency: connection.execute(
                    text("SELECT slack_user_id FROM staff WHERE agency_id = :agency"),
                    {"agency": agency},
                ).scalar_one()
                for agency in agency_wall.each_agency()
            }
            unseen = connection.scalar(text("SELECT count(*) FROM staff"))
    assert seen == {1: "U1", 2: "U2"}
    assert unseen == (0 if owner.backend == "postgresql" else 2)


def test_a_later_migration_walls_a_table_of_its_own_with_one_call(owner: Database) -> None:
    if owner.backend != "postgresql":
        pytest.skip("SQLite has no row-level security")
    upgrade(owner.engine)
    with owner.engine.begin() as connection:
        connection.execute(text("CREATE TABLE later_things (id serial, agency_id integer)"))
        with Operations.context(MigrationContext.configure(connection)):
            agency_wall.wall("later_things")
            assert "later_things" in agency_wall.walled_tables()
    refused = pytest.raises(DBAPIError, match="row-level security")
    with refused, owner.engine.begin() as connection:
        connection.execute(text("INSERT INTO later_things (agency_id) VALUES (1)"))
    with owner.engine.begin() as connection:
        with Operations.context(MigrationContext.configure(connection)):
            agency_wall.unwall("later_things")
            assert "later_things" not in agency_wall.walled_tables()
        connection.execute(text("INSERT INTO later_things (agency_id) VALUES (1)"))
