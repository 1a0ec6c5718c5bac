"""A made-up person with a row in every table that can hold their data, for the access,
erasure and coverage tests."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from storage import audit, slack_copies
from storage.models import Consent, DataSubjectRequest, Disclosure, DistinctPerson, Person
from storage.models.enums import (
    ConsentPurpose,
    DataSource,
    EmploymentStatus,
    Gender,
    LegalBasis,
    OutboxKind,
    Purpose,
    RecipientKind,
    RequestChannel,
    RequestKind,
    SlackFileKind,
)
from storage.staff import StaffMember
from tests.people import add_meeting, add_person


@dataclass(frozen=True)
class Filled:
    person: Person
    request_id: int


def fill_every_table(
    session: Session,
    advisor: StaffMember,
    *,
    first_name: str = "Maija",
    kind: RequestKind = RequestKind.ACCESS,
) -> Filled:
    person = add_person(
        session, first_name, "Mallikas", phone_numbers=("+358401234567", "+358501234567")
    )
    person.gender = Gender.FEMALE
    person.birth_date = date(1985, 3, 14)
    person.nationality = "FI"
    person.postal_code = "00100"
    person.post_office = "Helsinki"
    person.employment_status = EmploymentStatus.UNEMPLOYED
    person.heard_from_text = "Messuilta"
    person.source = DataSource.PERSON
    add_meeting(session, person, advisor, datetime(2026, 3, 2, 9, tzinfo=UTC), topic="Rahoitus")
    consent = Consent(
        person_id=person.id,
        purpose=ConsentPurpose.DISCLOSURE_FINANCIERS,
        given_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    )
    session.add(consent)
    session.flush()
    session.add_all(
        [
            Disclosure(
                person_id=person.id,
                recipient="Esimerkkirahoitus Oy",
                recipient_kind=RecipientKind.FINANCIER,
                categories=["name", "email"],
                legal_basis=LegalBasis.CONSENT,
                consent_id=consent.id,
                disclosed_at=datetime(2026, 3, 3, 8, tzinfo=UTC),
            ),
            Disclosure(
                person_id=person.id,
                recipient="Kyselytyökalu",
                recipient_kind=RecipientKind.SURVEY_TOOL,
                categories=["name", "email"],
                legal_basis=LegalBasis.LEGITIMATE_INTEREST,
                disclosed_at=datetime(2026, 3, 4, 8, tzinfo=UTC),
            ),
        ]
    )
    request = DataSubjectRequest(
        kind=kind,
        person_id=person.id,
        requester_name=f"{first_name} Mallikas",
        requester_contact="maija.mallikas@example.fi",
        channel=RequestChannel.EMAIL,
        language="fi",
        received_on=date(2026, 11, 2),
        due_on=date(2026, 12, 2),
        filed_by_id=advisor.id,
        details="Pyydän tietoni.",
    )
    session.add(request)
    session.flush()
    slack_copies.record_files(
        session=session,
        slack_file_ids=["F0FILLED1"],
        channel_id="D0FILLED1",
        kind=SlackFileKind.ACCESS_PACKAGE,
        uploaded_for="UCONTROL",
        keep_until=datetime(2026, 11, 16, 8, tzinfo=UTC),
        person_ids=[person.id],
        request_id=request.id,
    )
    slack_copies.record_message(
        session=session,
        channel_id="D0FILLED1",
        message_ts="1700000000.000100",
        kind=OutboxKind.FOLLOW_UPS,
        recipient=advisor.slack_user_id,
        params={"on": "2026-11-02"},
        person_ids=[person.id],
    )
    namesake = add_person(session, "Toinen", "Eriniminen", phone_numbers=())
    session.add(DistinctPerson(person_id=person.id, other_person_id=namesake.id))
    audit.record(
        session=session,
        actor=advisor.slack_user_id,
        action="person.view",
        person_id=person.id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    return Filled(person=person, request_id=request.id)
