"""Every column that can hold a person's data is in the access package and gone after an
erasure. The tables come from the models, so a table or column added later is checked without
being listed here; a column that is not personal data must be named below, with why."""

import pytest
from sqlalchemy import Enum, String, Text, func, select
from sqlalchemy.orm import Session

from storage import access_package, erasure
from storage.access_package_html import to_html
from storage.models import Base, Person
from storage.models.enums import Role
from storage.personal_tables import BLANKED_ON_ERASURE, is_kept_on_erasure
from storage.staff import StaffMember
from tests.people import add_staff
from tests.personal_data import fill_every_table

NOT_PERSONAL_DATA = {
    # A folded copy of first_name and last_name, kept for search only; the names are in the
    # package.
    ("persons", "search_name"),
    # A random key that stops a retried Slack request from logging a meeting twice.
    ("meetings", "idempotency_key"),
    # A random key that an erasure record names the person by, so that a replay after a
    # restore erases nobody else; it says nothing about the person and is never shown.
    ("persons", "person_key"),
    # The new-person form's view id, so that the form sent twice creates one person.
    ("persons", "creation_key"),
}
# Rows that name the person by id only and outlive them by design: the audit trail and its
# events' person links (dates and purposes are in the package as consultations) and the erasure
# records.
BY_ID_ONLY = {"audit_events", "audit_event_persons", "erasures"}
# Text columns of a row kept after an erasure (a request) that say how the request was handled,
# not who the person is; every other text column there must be emptied by the erasure.
KEPT_AFTER_ERASURE = {
    ("data_subject_requests", "person_reference"),  # the pseudonym itself
    ("data_subject_requests", "language"),
    ("data_subject_requests", "identity_verification"),  # how, e.g. "known_email"
    ("data_subject_requests", "extension_reason"),
    ("data_subject_requests", "resolution"),
    ("data_subject_requests", "filing_key"),  # a random key that files a form once
}


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


def test_a_kept_row_keeps_no_text_about_the_person_after_an_erasure(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    reference = filled.person.reference
    erasure.erase(session=session, actor=controller, person_id=filled.person.id, request_id=None)
    for name in tables_with_personal_data():
        table = Base.metadata.tables[name]
        if name == "persons" or not is_kept_on_erasure(table):
            continue
        texts = {
            c.name
            for c in table.columns
            if isinstance(c.type, String | Text) and not isinstance(c.type, Enum)
        }
        unclassified = (
            texts
            - set(BLANKED_ON_ERASURE.get(name, ()))
            - {column for table_name, column in KEPT_AFTER_ERASURE if table_name == name}
        )
        assert not unclassified, f"{name}: {sorted(unclassified)} neither blanked nor kept"
        kept = session.execute(
            select(*(table.c[column] for column in BLANKED_ON_ERASURE[name])).where(
                table.c.person_reference == reference
            )
        ).all()
        assert kept and all(value is None for row in kept for value in row), name


def test_the_person_key_is_kept_only_in_the_erasure_record_and_never_in_the_package(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    key = filled.person.person_key
    package = access_package.build_access_package(
        session=session, actor=controller, person_id=filled.person.id, language="fi"
    )
    for shown in (access_package.to_json(package), to_html(package)):
        assert str(key) not in shown and key.hex not in shown

    erasure.erase(session=session, actor=controller, person_id=filled.person.id, request_id=None)

    (record,) = erasure.erasure_records(session=session)
    assert (record.person_id, record.person_key) == (filled.person.id, key)
    assert session.scalar(select(func.count()).where(Person.person_key == key)) == 0
