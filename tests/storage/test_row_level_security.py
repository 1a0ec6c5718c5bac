"""PostgreSQL: the database is a second wall between agencies. Through the bot's role (a login
role in register_app), a statement sees and writes only the rows of the agency its transaction
acts for (`app.agency_id`), and without it none at all, whatever the statement says. SQLite
has no row-level security: there the wall is the application's alone (test_tenancy)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from storage import home, persons, requests
from storage.consents import record_consent
from storage.db import Database
from storage.errors import NotFound
from storage.models import THE_AGENCY
from storage.models.enums import ConsentPurpose, Purpose, RequestChannel, RequestKind, Role
from storage.row_level_security import RoleFault, role_faults
from storage.search import search_persons
from storage.staff import StaffMember
from tests.databases import APP_ROLE, CHAIN_KEY, as_role, login_role
from tests.people import add_meeting, add_person, add_staff

# Tables of the schema with no agency column that may stay outside the wall: the agencies
# themselves, Alembic's bookkeeping, and the Slack installation stores of OAuth.
UNWALLED = {
    "agencies",
    "alembic_version",
    "slack_installations",
    "slack_bots",
    "slack_oauth_states",
}
# Kept by triggers on persons, with no agency column yet: the terms and words of names.
POLICY = "agency_wall"
SETTING = "current_setting('app.agency_id'::text, true)"
# Tables each agency's register fills below, through the application's storage functions.
FILLED = (
    "persons",
    "phone_numbers",
    "relationships",
    "consents",
    "meetings",
    "data_subject_requests",
    "staff",
    "audit_events",
    "audit_event_persons",
    "audit_pending",
)
# The bot may change and delete rows of these (not of the audit trail).
CHANGEABLE = (
    "persons",
    "phone_numbers",
    "relationships",
    "consents",
    "meetings",
    "data_subject_requests",
    "staff",
)
MADE_UP_DAY = date(2026, 11, 2)


@dataclass(frozen=True)
class Register:
    """One agency's made-up register: its controller and its person."""

    agency: int
    controller: StaffMember
    person_id: int
    request_id: int


@pytest.fixture
def postgresql(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has no row-level security: the wall there is the application's")


@pytest.fixture
def bot(postgresql: None, database: Database) -> Iterator[Database]:
    """The test's database as the bot reaches it: a login role in the group register_app."""
    with login_role(member_of=APP_ROLE) as role:
        as_bot = Database(as_role(database.url, role), audit_chain_key=CHAIN_KEY)
        yield as_bot
        as_bot.dispose()


def fill(bot: Database, agency: int, slack_user_id: str) -> Register:
    """A controller, a person with phones, a relationship, a consent, a meeting and a request,
    and the audit events of their making and of a look-up, written as the bot for `agency`."""
    with bot.transaction(agency=agency) as session:
        controller = add_staff(session, slack_user_id, Role.CONTROLLER)
        person = add_person(session, "Testi", "Virtanen", phone_numbers=("+358401234567",))
        record_consent(
            session=session,
            actor=controller,
            person_id=person.id,
            purpose=ConsentPurpose.MARKETING,
            given=True,
            on=MADE_UP_DAY,
        )
        add_meeting(session, person, controller, datetime(2026, 11, 3, 9, tzinfo=UTC))
        request = requests.file_request(
            session=session,
            actor=controller,
            filing=requests.RequestFiling(
                kind=RequestKind.ACCESS,
                channel=RequestChannel.EMAIL,
                received_on=MADE_UP_DAY,
                person_id=person.id,
            ),
            today=MADE_UP_DAY,
        )
        persons.person_card(
            session=session,
            viewer=controller,
            person_id=person.id,
            purpose=Purpose.CUSTOMER_SERVICE,
        )
        return Register(agency, controller, person.id, request.id)


@pytest.fixture
def registers(bot: Database, other_agency: int) -> tuple[Register, Register]:
    return fill(bot, THE_AGENCY, "UCONTROL1"), fill(bot, other_agency, "UCONTROL2")


def agency_tables(connection: Connection) -> list[str]:
    found = connection.execute(
        text(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') "
            "AND a.attname = 'agency_id' AND NOT a.attisdropped ORDER BY c.relname"
        )
    )
    return list(found.scalars())


def rows_per_agency(database: Database, table: str) -> dict[int, int]:
    """As the superuser, whom row-level security does not hold."""
    with database.engine.connect() as connection:
        found = connection.execute(
            text(f"SELECT agency_id, count(*) FROM {table} GROUP BY agency_id")
        )
        return {agency: count for agency, count in found}


def test_every_table_filled_has_rows_of_both_agencies(
    database: Database, registers: tuple[Register, Register]
) -> None:
    agencies = {register.agency for register in registers}
    for table in FILLED:
        assert set(rows_per_agency(database, table)) == agencies, table


def test_without_the_setting_no_agency_table_shows_a_row(
    bot: Database, registers: tuple[Register, Register]
) -> None:
    with bot.engine.connect() as connection:
        tables = agency_tables(connection)
        assert set(FILLED) <= set(tables)
        for table in tables:
            assert connection.scalar(text(f"SELECT count(*) FROM {table}")) == 0, table
    with bot.transaction(agency=None) as session:
        for table in tables:
            assert session.scalar(text(f"SELECT count(*) FROM {table}")) == 0, table


@pytest.mark.parametrize(
    ("column", "value"),
    [("", ""), (", agency_id", ", 1"), (", agency_id", ", 2")],
    ids=["agency by default", "agency 1 named", "agency 2 named"],
)
def test_without_the_setting_an_insert_fails(
    bot: Database, registers: tuple[Register, Register], column: str, value: str
) -> None:
    refused = pytest.raises(DBAPIError, match="row-level security")
    with refused, bot.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO staff (slack_user_id, display_name, role, active, created_at, "
                f"updated_at{column}) VALUES ('UNEW', '', 'advisor', true, now(), now(){value})"
            )
        )


def test_acting_for_one_agency_the_others_rows_cannot_be_changed_or_deleted(
    bot: Database, database: Database, registers: tuple[Register, Register]
) -> None:
    ours, theirs = registers
    before = {table: rows_per_agency(database, table) for table in CHANGEABLE}
    with bot.transaction(agency=ours.agency) as session:
        for table in CHANGEABLE:
            parameters = {"theirs": theirs.agency}
            changed = session.execute(
                text(f"UPDATE {table} SET id = id WHERE agency_id = :theirs"), parameters
            )
            assert changed.rowcount == 0, table  # type: ignore[attr-defined]
        renamed = session.execute(
            text("UPDATE persons SET first_name = 'Muutettu' WHERE id = :id"),
            {"id": theirs.person_id},
        )
        assert renamed.rowcount == 0  # type: ignore[attr-defined]
        for table in reversed(CHANGEABLE):
            deleted = session.execute(
                text(f"DELETE FROM {table} WHERE agency_id <> :ours"), {"ours": ours.agency}
            )
            assert deleted.rowcount == 0, table  # type: ignore[attr-defined]
    assert {table: rows_per_agency(database, table) for table in CHANGEABLE} == before
    with database.engine.connect() as connection:
        name = connection.scalar(
            text("SELECT first_name FROM persons WHERE id = :id"), {"id": theirs.person_id}
        )
    assert name == "Testi"


def test_acting_for_one_agency_a_row_of_the_other_cannot_be_written(
    bot: Database, registers: tuple[Register, Register]
) -> None:
    ours, theirs = registers
    refused = pytest.raises(DBAPIError, match="row-level security")
    with refused, bot.transaction(agency=ours.agency) as session:
        session.execute(
            text(
                "INSERT INTO staff (slack_user_id, display_name, role, active, created_at, "
                "updated_at, agency_id) VALUES ('UNEW', '', 'advisor', true, now(), now(), :a)"
            ),
            {"a": theirs.agency},
        )
    with refused, bot.transaction(agency=ours.agency) as session:
        session.execute(
            text("UPDATE persons SET agency_id = :theirs WHERE id = :id"),
            {"theirs": theirs.agency, "id": ours.person_id},
        )


def test_the_storage_functions_show_only_the_agencys_rows(
    bot: Database, registers: tuple[Register, Register]
) -> None:
    for ours, theirs in (registers, registers[::-1]):
        with bot.transaction(agency=ours.agency) as session:
            found = search_persons(
                session=session,
                viewer=ours.controller,
                query="+358 40 123 4567",  # both agencies' persons have it
                purpose=Purpose.CUSTOMER_SERVICE,
            )
            assert [hit.id for hit in found.hits] == [ours.person_id]
            assert found.total == 1
            by_name = search_persons(
                session=session,
                viewer=ours.controller,
                query="virtanen",  # both agencies have a Testi Virtanen
                purpose=Purpose.CUSTOMER_SERVICE,
            )
            assert [hit.id for hit in by_name.hits] == [ours.person_id]
            card = persons.person_card(
                session=session,
                viewer=ours.controller,
                person_id=ours.person_id,
                purpose=Purpose.CUSTOMER_SERVICE,
            )
            assert card.fields.phone_numbers == ["+358401234567"]
            assert len(card.consents) == len(card.meetings) == len(card.relationships) == 1
            assert [request.id for request in card.open_requests] == [ours.request_id]
            with pytest.raises(NotFound):
                persons.person_card(
                    session=session,
                    viewer=ours.controller,
                    person_id=theirs.person_id,
                    purpose=Purpose.CUSTOMER_SERVICE,
                )
            listed, count = home.open_requests(session=session)
            assert ([request.id for request in listed], count) == ([ours.request_id], 1)


def test_every_agency_table_is_walled_and_every_other_table_is_known(
    postgresql: None, database: Database
) -> None:
    with database.engine.connect() as connection:
        walled = set(agency_tables(connection))
        security = {
            name: (enabled, forced)
            for name, enabled, forced in connection.execute(
                text(
                    "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relnamespace = current_schema()::regnamespace "
                    "AND relkind IN ('r', 'p')"
                )
            )
        }
        policies = {
            table: (command, roles, using, check)
            for table, command, roles, using, check in connection.execute(
                text(
                    "SELECT tablename, cmd, roles::text[], qual, with_check FROM pg_policies "
                    "WHERE schemaname = current_schema() AND policyname = :policy"
                ),
                {"policy": POLICY},
            )
        }
    rule = f"(agency_id = (NULLIF({SETTING}, ''::text))::integer)"
    for table in walled:
        assert security[table] == (True, True), table
        assert policies.get(table) == ("ALL", ["public"], rule, rule), table
    unwalled = set(security) - walled
    assert unwalled <= UNWALLED
    assert set(policies) == walled
    assert security["agencies"] == (False, False)


def test_the_bot_may_read_add_and_change_agencies_but_not_delete_them(
    postgresql: None, database: Database
) -> None:
    with database.engine.connect() as connection:
        granted = {
            privilege
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
            if connection.scalar(
                text(f"SELECT has_table_privilege('{APP_ROLE}', 'agencies', '{privilege}')")
            )
        }
    assert granted == {"SELECT", "INSERT", "UPDATE"}


def test_the_bots_role_has_nothing_that_passes_the_wall(bot: Database) -> None:
    with bot.reading() as session:
        assert role_faults(session=session) == ()


def test_a_superuser_a_role_that_bypasses_it_and_an_owner_are_told_apart(
    postgresql: None, database: Database
) -> None:
    with database.reading() as session:
        assert role_faults(session=session) == tuple(RoleFault)
    with login_role(member_of=APP_ROLE) as role:
        with database.engine.begin() as connection:
            connection.execute(text(f'ALTER ROLE "{role}" BYPASSRLS'))
            connection.execute(text("CREATE TABLE later_table (id serial PRIMARY KEY)"))
            connection.execute(text(f'ALTER TABLE later_table OWNER TO "{role}"'))
        other = Database(as_role(database.url, role))
        try:
            with other.reading() as session:
                faults = role_faults(session=session)
        finally:
            other.dispose()
            with database.engine.begin() as connection:
                connection.execute(text("DROP TABLE later_table"))
    assert faults == (RoleFault.BYPASSES_ROW_LEVEL_SECURITY, RoleFault.OWNS_TABLES)


def test_on_sqlite_no_role_is_at_fault(backend: str, database: Database) -> None:
    if backend != "sqlite":
        pytest.skip("the roles of PostgreSQL are tested above")
    with database.reading() as session:
        assert role_faults(session=session) == ()
