"""Made-up people, staff and meetings written straight into the register, for tests."""

import itertools
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from storage.models import Meeting, Person, PhoneNumber, Relationship, Staff
from storage.models.enums import LegalBasis, MeetingKind, RelationshipKind, Role
from storage.staff import StaffMember

_numbers = itertools.count(1)


def add_staff(
    session: Session, slack_user_id: str, role: Role = Role.ADVISOR, language: str | None = None
) -> StaffMember:
    staff = Staff(slack_user_id=slack_user_id, role=role, language=language)
    session.add(staff)
    session.flush()
    return StaffMember.of(staff)


def add_person(
    session: Session,
    first_name: str = "Testi",
    last_name: str = "Virtanen",
    *,
    municipality: str | None = "Esimerkkilä",
    restricted: bool = False,
    last_activity_at: datetime | None = None,
    relationships: tuple[tuple[RelationshipKind, date | None], ...] = (
        (RelationshipKind.CUSTOMER, None),
    ),
    retention_hold_until: date | None = None,
    email: str | None = None,
    phone_numbers: tuple[str, ...] = (),
) -> Person:
    """A made-up person; `email` defaults to one of their own, phone numbers are E.164."""
    number = next(_numbers)
    person = Person(
        reference=f"R-T{number:04d}",
        first_name=first_name,
        last_name=last_name,
        municipality=municipality,
        email=email or f"testi.{number}@example.fi",
        street_address="Esimerkkikatu 1",
        restricted=restricted,
        last_activity_at=last_activity_at or datetime(2026, 1, 1, tzinfo=UTC),
        retention_hold_until=retention_hold_until,
    )
    person.phone_numbers = [PhoneNumber(number=phone) for phone in phone_numbers]
    person.relationships = [
        Relationship(
            kind=kind,
            started_on=date(2020, 1, 1),
            ended_on=ended_on,
            legal_basis=LegalBasis.CONTRACT,
        )
        for kind, ended_on in relationships
    ]
    session.add(person)
    session.flush()
    return person


def add_meeting(
    session: Session,
    person: Person,
    advisor: StaffMember,
    occurred_at: datetime,
    *,
    follow_up_on: date | None = None,
    topic: str = "Liiketoimintasuunnitelma",
) -> Meeting:
    meeting = Meeting(
        person_id=person.id,
        advisor_id=advisor.id,
        occurred_at=occurred_at,
        duration_minutes=45,
        kind=MeetingKind.MEETING,
        topic=topic,
        follow_up_on=follow_up_on,
        idempotency_key=f"test-{next(_numbers)}",
    )
    session.add(meeting)
    session.flush()
    return meeting
