"""Disclosures to authorities, experts and financiers: only with the person's consent for it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound, PermissionDenied, RegisterError
from storage.models import Consent, Disclosure, Person
from storage.models.enums import ConsentPurpose, LegalBasis, Purpose, RecipientKind
from storage.permissions import Permission
from storage.restriction import refuse_if_restricted
from storage.staff import StaffMember

CONSENT_FOR: dict[RecipientKind, ConsentPurpose] = {
    RecipientKind.AUTHORITY: ConsentPurpose.DISCLOSURE_AUTHORITIES,
    RecipientKind.EXPERT: ConsentPurpose.DISCLOSURE_EXPERTS,
    RecipientKind.FINANCIER: ConsentPurpose.DISCLOSURE_FINANCIERS,
}


class ConsentMissing(RegisterError):
    """The person has not given (or has withdrawn) the consent this disclosure needs;
    `purpose` names it."""

    code = "consent_missing"

    def __init__(self, purpose: ConsentPurpose) -> None:
        super().__init__(purpose.value)
        self.purpose = purpose


@dataclass(frozen=True)
class DisclosureView:
    id: int
    recipient: str
    recipient_kind: RecipientKind
    categories: tuple[str, ...]
    disclosed_at: datetime


def record_disclosure(
    *,
    session: Session,
    actor: StaffMember,
    person_id: int,
    recipient: str,
    recipient_kind: RecipientKind,
    categories: list[str],
) -> DisclosureView:
    """Records that `recipient` got `categories` of the person's data, on the consent for its
    kind, checked now; refused with ConsentMissing without it."""
    if not actor.can(Permission.REQUEST_WORK):
        raise PermissionDenied(Permission.REQUEST_WORK.value)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    refuse_if_restricted(session=session, actor=actor, person=person, action="person.disclose")
    purpose = CONSENT_FOR.get(recipient_kind)
    if purpose is None:
        raise PermissionDenied(recipient_kind.value)
    consent = session.scalar(
        select(Consent).where(
            Consent.person_id == person_id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
        )
    )
    if consent is None:
        raise ConsentMissing(purpose)
    row = Disclosure(
        person_id=person_id,
        recipient=recipient,
        recipient_kind=recipient_kind,
        categories=list(categories),
        legal_basis=LegalBasis.CONSENT,
        consent_id=consent.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.disclose",
        person_id=person_id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    return DisclosureView(
        row.id, row.recipient, row.recipient_kind, tuple(row.categories), row.disclosed_at
    )
