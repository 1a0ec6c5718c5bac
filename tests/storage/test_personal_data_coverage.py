"""Every column that can hold a person's data is in the access package and gone after an
erasure. The tables come from the models, so a table or column added later is checked without
being listed here; a column that is not personal data must be named below, with why."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import access_package, erasure
from storage.models import Base, Person
from storage.models.enums import Role
from storage.staff import StaffMember
from tests.people import add_staff
from tests.personal_data import fill_every_table

NOT_PERSONAL_DATA = {
    # A folded copy of first_name and last_name, kept for search only; the names are in the
    # package.
    ("persons", "search_name"),
    # A random key that stops a retried Slack request from logging a meeting twice.
    ("meetings", "idempotency_key"),
}
# Rows that name the person by id only and outlive them by design: the audit trail (its dates
# and purposes are in the package as consultations) and the erasure records.
BY_ID_ONLY = {"audit_events", "erasures"}


def tables_with_personal_data() -> list[str]:
    return [
        table.name
        for table in Base.metadata.sorted_tables
        if (table.name == "persons" or "person_id" in table.columns)
        and table.name not in BY_ID_ONLY
    ]


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def test_the_checked_tables_include_every_table_of_the_design() -> None:
    assert set(tables_with_personal_data()) >= {
        "persons",
        "phone_numbers",
        "relationships",
        "consents",
        "meetings",
        "data_subject_requests",
        "disclosures",
    }


def test_every_column_of_every_table_is_in_the_access_package(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    package = access_package.build_access_package(
        session=session, actor=controller, person_id=filled.person.id, language="fi"
    )
    for name in tables_with_personal_data():
        rows = package.data.get(name)
        assert rows, f"{name}: no rows in the package (or the test fills none)"
        columns = set(Base.metadata.tables[name].columns.keys())
        missing = {c for c in columns if (name, c) not in NOT_PERSONAL_DATA} - set(rows[0])
        assert not missing, f"{name}: {sorted(missing)} missing from the access package"
    assert package.consultations


def test_no_row_refers_to_the_person_after_an_erasure(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    person_id = filled.person.id
    erasure.erase(
        session=session, actor=controller, person_id=person_id, request_id=filled.request_id
    )
    for name in tables_with_personal_data():
        table = Base.metadata.tables[name]
        column = table.c.id if name == "persons" else table.c.person_id
        left = session.scalar(select(func.count()).select_from(table).where(column == person_id))
        assert left == 0, f"{name}: rows about the erased person survive"
    assert session.get(Person, person_id) is None
