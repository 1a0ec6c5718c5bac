"""Exports to recipients outside the register, checked against restriction, objection and
consent at the moment of export, each person's transfer recorded as a disclosure."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.consents import withdrawn
from storage.errors import PermissionDenied
from storage.models import Disclosure, Meeting, Person
from storage.models.enums import ConsentPurpose, LegalBasis, Purpose, RecipientKind
from storage.permissions import Permission
from storage.spreadsheets import csv_bytes
from storage.staff import StaffMember

SURVEY_RECIPIENT = "satisfaction survey"
SURVEY_CATEGORIES = ["name", "email"]


@dataclass(frozen=True)
class SurveyRecipient:
    first_name: str
    last_name: str
    email: str
    person_id: int  # not in the list: for the record of the copy in Slack


def survey_recipients(
    *, session: Session, actor: StaffMember, start: datetime, end: datetime
) -> list[SurveyRecipient]:
    """Name and e-mail of each person met in [start, end), leaving out the restricted, anyone
    who objected to marketing or withdrew the survey consent, and anyone without an e-mail;
    each transfer is recorded in `disclosures` and audited."""
    if not actor.can(Permission.SURVEY_EXPORT):
        raise PermissionDenied(Permission.SURVEY_EXPORT.value)
    met = select(Meeting.id).where(
        Meeting.person_id == Person.id, Meeting.occurred_at >= start, Meeting.occurred_at < end
    )
    people = session.scalars(
        select(Person)
        .where(
            met.exists(),
            Person.restricted.is_(False),
            Person.email.is_not(None),
            Person.email != "",
            ~withdrawn(ConsentPurpose.SATISFACTION_SURVEY),
            ~withdrawn(ConsentPurpose.MARKETING),
        )
        .order_by(Person.last_name, Person.first_name, Person.id)
    ).all()
    session.add_all(
        Disclosure(
            person_id=person.id,
            recipient=SURVEY_RECIPIENT,
            recipient_kind=RecipientKind.SURVEY_TOOL,
            categories=list(SURVEY_CATEGORIES),
            legal_basis=LegalBasis.LEGITIMATE_INTEREST,
        )
        for person in people
    )
    session.flush()
    if people:
        audit.record_many(
            session=session,
            actor=actor.slack_user_id,
            action="person.survey_export",
            person_ids=[person.id for person in people],
            purpose=Purpose.SATISFACTION_SURVEY,
        )
    return [SurveyRecipient(p.first_name, p.last_name, p.email or "", p.id) for p in people]


def survey_csv(recipients: list[SurveyRecipient]) -> bytes:
    """Header first_name;last_name;email, in the register's CSV form (storage.spreadsheets)."""
    header = [("first_name", "last_name", "email")]
    return csv_bytes(header + [(r.first_name, r.last_name, r.email) for r in recipients])
