"""The Art 20 package: what the person provided, on consent or contract, as JSON and CSV."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import portability
from storage.errors import NotFound, PermissionDenied
from storage.models import AuditEvent, Consent, Relationship
from storage.models.enums import (
    ConsentPurpose,
    DataSource,
    LegalBasis,
    Purpose,
    RelationshipKind,
    Role,
)
from storage.staff import StaffMember
from tests.people import add_person, add_staff
from tests.personal_data import fill_every_table


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def test_the_package_holds_what_the_person_provided_and_nothing_staff_wrote(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    session.add(
        Relationship(
            person_id=filled.person.id,
            kind=RelationshipKind.STAKEHOLDER,
            started_on=date(2024, 1, 1),
            legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        )
    )
    session.flush()

    package = portability.build_portability_package(
        session=session, actor=controller, person_id=filled.person.id
    )
    document = json.loads(portability.to_json(package))

    assert document["person_reference"] == filled.person.reference
    assert document["person"]["first_name"] == "Maija"
    assert document["person"]["birth_date"] == "1985-03-14"
    assert document["person"]["gender"] == "female"
    assert set(document["person"]) == set(portability.PROVIDED_FIELDS)
    assert document["phone_numbers"] == ["+358401234567", "+358501234567"]
    assert document["relationships"] == [
        {
            "kind": "customer",
            "legal_basis": "contract",
            "started_on": "2020-01-01",
            "ended_on": None,
        }
    ]
    assert [c["purpose"] for c in document["consents"]] == ["disclosure_financiers"]
    assert set(document) == {
        "person_reference",
        "generated_at",
        "person",
        "phone_numbers",
        "relationships",
        "consents",
    }
    assert "Rahoitus" not in portability.to_json(package)


def test_details_from_elsewhere_than_the_person_are_left_out(
    session: Session, controller: StaffMember
) -> None:
    person = add_person(session, "Testi", "Rekisteristä")
    person.source = DataSource.PUBLIC_REGISTER
    session.flush()

    package = portability.build_portability_package(
        session=session, actor=controller, person_id=person.id
    )

    assert package.person == {}
    assert package.relationships  # the customer relationship, on contract


def test_only_processing_on_consent_or_contract_is_portable(session: Session) -> None:
    person = add_person(session, "Testi", "Sidosryhmä", relationships=())
    assert not portability.is_portable(session=session, person_id=person.id)
    session.add(
        Relationship(
            person_id=person.id,
            kind=RelationshipKind.MEMBER,
            started_on=date(2024, 1, 1),
            legal_basis=LegalBasis.LEGAL_OBLIGATION,
        )
    )
    session.flush()
    assert not portability.is_portable(session=session, person_id=person.id)
    session.add(
        Consent(
            person_id=person.id,
            purpose=ConsentPurpose.MARKETING,
            given_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
    )
    session.flush()
    assert portability.is_portable(session=session, person_id=person.id)


def test_the_csv_holds_the_same_values_one_a_row_and_runs_no_formula(
    session: Session, controller: StaffMember
) -> None:
    person = add_person(session, "=HYPERLINK(1)", "Virtanen", phone_numbers=("+358401234567",))

    package = portability.build_portability_package(
        session=session, actor=controller, person_id=person.id
    )
    rows = list(
        csv.reader(io.StringIO(portability.to_csv(package).decode("utf-8-sig")), delimiter=";")
    )

    assert rows[0] == list(portability.CSV_HEADER)
    assert ["person", "1", "first_name", "'=HYPERLINK(1)"] in rows
    assert ["person", "1", "last_name", "Virtanen"] in rows
    assert ["phone_number", "1", "number", "'+358401234567"] in rows
    assert ["relationship", "1", "legal_basis", "contract"] in rows


def test_only_a_controller_builds_it_and_the_decision_is_audited_once(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    person = add_person(session)
    with pytest.raises(PermissionDenied):
        portability.build_portability_package(session=session, actor=advisor, person_id=person.id)
    with pytest.raises(NotFound):
        portability.build_portability_package(session=session, actor=controller, person_id=999_999)

    portability.record_portability_package(session=session, actor=controller, person_id=person.id)
    portability.build_portability_package(session=session, actor=controller, person_id=person.id)

    purposes = session.scalars(
        select(AuditEvent.purpose).where(
            AuditEvent.person_id == person.id, AuditEvent.action == "person.portability_package"
        )
    ).all()
    assert purposes == [Purpose.DATA_SUBJECT_REQUEST]
