"""The Art 20 portability package: what the person provided, for processing on consent or
contract, in a structured, machine-readable form (JSON, and the same as CSV).

What the person provided: their own details when they gave them (source `person`), their phone
numbers, their relationships with the agency based on consent or contract, and their consents.
Not what staff wrote about them (meetings, notes), nor the register's own records (requests,
disclosures, the audit trail): those belong to the access package (Art 15).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound, PermissionDenied
from storage.models import Consent, Person, PhoneNumber, Relationship
from storage.models.base import utcnow
from storage.models.enums import DataSource, LegalBasis, Purpose
from storage.permissions import Permission
from storage.spreadsheets import csv_bytes
from storage.staff import StaffMember

PORTABLE_BASES = (LegalBasis.CONSENT, LegalBasis.CONTRACT)
# The person's details as they gave them, in the order of the person form.
PROVIDED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "street_address",
    "postal_code",
    "post_office",
    "municipality",
    "nationality",
    "gender",
    "birth_date",
    "education",
    "employment_status",
    "labour_market_position",
    "heard_from",
    "heard_from_text",
)
CSV_HEADER = ("record", "number", "field", "value")

Row = dict[str, Any]


@dataclass(frozen=True)
class PortabilityPackage:
    person_reference: str
    generated_at: datetime
    person: Row  # empty when the details came from elsewhere than the person
    phone_numbers: list[str]
    relationships: list[Row]
    consents: list[Row]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _require(actor: StaffMember) -> None:
    if not actor.can(Permission.REQUEST_WORK):
        raise PermissionDenied(Permission.REQUEST_WORK.value)


def _portable_relationships(session: Session, person_id: int) -> list[Relationship]:
    return list(
        session.scalars(
            select(Relationship)
            .where(
                Relationship.person_id == person_id,
                Relationship.legal_basis.in_(PORTABLE_BASES),
            )
            .order_by(Relationship.started_on, Relationship.id)
        )
    )


def _consents(session: Session, person_id: int) -> list[Consent]:
    return list(
        session.scalars(
            select(Consent)
            .where(Consent.person_id == person_id)
            .order_by(Consent.given_at, Consent.id)
        )
    )


def is_portable(*, session: Session, person_id: int) -> bool:
    """Whether anything about the person is processed on consent or contract (Art 20(1)(a)):
    a relationship on either basis, or a consent."""
    return bool(_portable_relationships(session, person_id) or _consents(session, person_id))


def record_portability_package(*, session: Session, actor: StaffMember, person_id: int) -> None:
    """Audits the package as one read with purpose data_subject_request, when it is decided on:
    building it again to deliver it is not another consultation."""
    _require(actor)
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.portability_package",
        person_id=person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )


def build_portability_package(
    *, session: Session, actor: StaffMember, person_id: int
) -> PortabilityPackage:
    """What the person provided; not audited here (record_portability_package is)."""
    _require(actor)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    provided = person.source is DataSource.PERSON
    details = {name: _plain(getattr(person, name)) for name in PROVIDED_FIELDS}
    return PortabilityPackage(
        person_reference=person.reference,
        generated_at=utcnow(),
        person=details if provided else {},
        phone_numbers=list(
            session.scalars(
                select(PhoneNumber.number)
                .where(PhoneNumber.person_id == person_id)
                .order_by(PhoneNumber.id)
            )
        ),
        relationships=[
            {
                "kind": _plain(r.kind),
                "legal_basis": _plain(r.legal_basis),
                "started_on": _plain(r.started_on),
                "ended_on": _plain(r.ended_on),
            }
            for r in _portable_relationships(session, person_id)
        ],
        consents=[
            {
                "purpose": _plain(c.purpose),
                "given_at": _plain(c.given_at),
                "withdrawn_at": _plain(c.withdrawn_at),
            }
            for c in _consents(session, person_id)
        ],
    )


def to_json(package: PortabilityPackage) -> str:
    document = {
        "person_reference": package.person_reference,
        "generated_at": package.generated_at.isoformat(),
        "person": package.person,
        "phone_numbers": package.phone_numbers,
        "relationships": package.relationships,
        "consents": package.consents,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_csv(package: PortabilityPackage) -> bytes:
    """The same data, one value a row: record, its number within the record kind, field,
    value."""
    rows: list[tuple[str, int, str, Any]] = [
        ("person", 1, name, value) for name, value in package.person.items()
    ]
    rows += [("phone_number", n, "number", v) for n, v in enumerate(package.phone_numbers, 1)]
    for record, items in (("relationship", package.relationships), ("consent", package.consents)):
        rows += [
            (record, n, name, value)
            for n, item in enumerate(items, 1)
            for name, value in item.items()
        ]
    return csv_bytes([CSV_HEADER, *rows])
