"""The wall between agencies in the application: a transaction acts for one agency, sees only
its rows, changes only its rows, and stamps what it writes with it; a transaction for no
agency sees nothing and writes nothing. On both databases (PostgreSQL's own wall, row-level
security, is tested in test_row_level_security)."""

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import StatementError

from storage.db import Database
from storage.models import THE_AGENCY, Agency, Person, PhoneNumber
from storage.models.base import NoAgency
from tests.people import add_person


def test_the_single_workspace_agency_exists_and_every_row_is_its(database: Database) -> None:
    with database.transaction() as session:
        person = add_person(session, "Testi", "Ensimmäinen", phone_numbers=("+358401234567",))
        assert session.get(Agency, THE_AGENCY) is not None
        assert person.agency_id == THE_AGENCY
        assert {phone.agency_id for phone in person.phone_numbers} == {THE_AGENCY}


def test_a_transaction_sees_and_changes_only_its_agencys_rows(
    database: Database, other_agency: int
) -> None:
    with database.transaction(agency=other_agency) as session:
        theirs = add_person(session, "Testi", "Toisen", phone_numbers=("+358401111111",))
        theirs_id = theirs.id
        assert theirs.agency_id == other_agency
    with database.transaction() as session:
        ours = add_person(session, "Testi", "Oma")
        ours_id = ours.id

    with database.transaction() as session:
        assert session.get(Person, theirs_id) is None
        assert session.scalars(select(Person.id)).all() == [ours_id]
        assert session.scalar(select(func.count()).select_from(PhoneNumber)) == 0
        changed = session.execute(update(Person).values(first_name="Muutettu"))
        assert changed.rowcount == 1  # type: ignore[attr-defined]
        session.execute(delete(PhoneNumber))

    with database.transaction(agency=other_agency) as session:
        theirs = session.get(Person, theirs_id)
        assert theirs is not None
        assert theirs.first_name == "Testi"
        assert [phone.number for phone in theirs.phone_numbers] == ["+358401111111"]
        assert session.get(Person, ours_id) is None


def test_a_transaction_for_no_agency_sees_nothing_and_writes_nothing(
    database: Database,
) -> None:
    with database.transaction() as session:
        add_person(session)
    with database.transaction(agency=None) as session:
        assert session.scalars(select(Person)).all() == []
    with (
        pytest.raises(StatementError) as refused,
        database.transaction(agency=None) as session,
    ):
        add_person(session)
    assert isinstance(refused.value.orig, NoAgency)
