"""Persons in the register: creating and editing them, spotting duplicates, and the card that
shows everything the register holds about one of them."""

import secrets
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import audit, consents
from storage.consents import GivenConsent
from storage.errors import ConsentRequired, InvalidRequest, NotFound, PermissionDenied, RefusedRead
from storage.models import (
    DataSubjectRequest,
    Disclosure,
    DistinctPerson,
    Meeting,
    Person,
    PhoneNumber,
    Relationship,
)
from storage.models import Staff as StaffRow
from storage.models.base import utcnow
from storage.models.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    MeetingKind,
    ObjectionScope,
    Purpose,
    RecipientKind,
    RelationshipKind,
    RequestKind,
    RequestStatus,
)
from storage.municipalities import normalised_municipality
from storage.permissions import Permission
from storage.phones import MAX_PHONE_NUMBERS
from storage.staff import StaffMember

# No 0/O, 1/I/L: a reference read aloud over the phone is not misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 5
CARD_MEETINGS = 10
# Until the answer reaches the data subject, a request is open and its deadline runs.
OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.FULFILLED)


@dataclass
class PersonFields:
    """Every field of the privacy notice that is typed in about a person."""

    first_name: str
    last_name: str
    email: str | None = None
    phone_numbers: list[str] = field(default_factory=list)  # E.164
    street_address: str | None = None
    postal_code: str | None = None
    post_office: str | None = None
    municipality: str | None = None
    nationality: str | None = None  # ISO 3166-1 alpha-2
    gender: Gender | None = None
    birth_date: date | None = None
    education: Education | None = None
    employment_status: EmploymentStatus | None = None
    labour_market_position: LabourMarketPosition | None = None
    heard_from: HeardFrom | None = None
    heard_from_text: str | None = None
    source: DataSource = DataSource.PERSON

    def __post_init__(self) -> None:
        # Every way into the register (the form, the console's, an import) builds these.
        self.municipality = normalised_municipality(self.municipality)


FIELD_NAMES = tuple(f.name for f in fields(PersonFields))
COLUMN_NAMES = tuple(name for name in FIELD_NAMES if name != "phone_numbers")


@dataclass(frozen=True)
class SavedPerson:
    id: int
    reference: str
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class EditablePerson:
    """A person as the edit form shows them: their fields and their current relationship."""

    id: int
    reference: str
    fields: PersonFields
    relationship_kind: RelationshipKind | None
    legal_basis: LegalBasis | None


@dataclass(frozen=True)
class DuplicateMatch:
    """A person the form may duplicate, by public reference: who they are stays on their card."""

    id: int
    reference: str
    matched_on: tuple[str, ...]  # "email", "phone_numbers", "name_and_birth_date"
    restricted: bool = False


@dataclass(frozen=True)
class DuplicateCheck:
    # Shown to the one filling the form, who may open each card or save anyway.
    warning: list[DuplicateMatch]
    # Restricted persons the one filling the form may not see: the save goes on, and the
    # register's contact persons are to be told.
    restricted: list[DuplicateMatch]
    # The matches the viewer was shown and chose to save anyway: not the same person, which
    # `accept_distinct` remembers once the person is saved.
    accepted: list[DuplicateMatch] = field(default_factory=list)


@dataclass(frozen=True)
class RelationshipLine:
    kind: RelationshipKind
    legal_basis: LegalBasis
    started_on: date
    ended_on: date | None


@dataclass(frozen=True)
class ConsentLine:
    purpose: ConsentPurpose
    given_at: datetime
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class DisclosureLine:
    """Who got which categories of the person's data, when (the disclosures table's row)."""

    recipient: str
    recipient_kind: RecipientKind
    categories: tuple[str, ...]
    disclosed_at: datetime


@dataclass(frozen=True)
class MeetingLine:
    occurred_at: datetime
    kind: MeetingKind
    duration_minutes: int | None
    topic: str | None
    notes: str | None
    follow_up_on: date | None
    advisor_slack_user_id: str | None


@dataclass(frozen=True)
class OpenRequest:
    id: int
    kind: RequestKind
    status: RequestStatus
    received_on: date
    due_on: date  # the extended due date where there is one


@dataclass(frozen=True)
class ObjectionLine:
    """An objection (Art 21) decided in the person's favour: to direct marketing, in effect
    from the day it was recorded; to other processing, upheld."""

    request_id: int
    scope: ObjectionScope
    at: datetime  # when it was recorded


@dataclass(frozen=True)
class PersonCard:
    """Everything the register holds about one person."""

    id: int
    reference: str
    fields: PersonFields
    responsible_advisor_slack_user_id: str | None
    restricted: bool
    restricted_since: datetime | None
    retention_hold_until: date | None
    created_at: datetime
    updated_at: datetime
    relationships: list[RelationshipLine]
    consents: list[ConsentLine]
    meetings: list[MeetingLine]
    open_requests: list[OpenRequest]
    meeting_count: int = 0  # all of the person's meetings; `meetings` holds the latest
    objections: list[ObjectionLine] = field(default_factory=list)
    disclosures: list[DisclosureLine] = field(default_factory=list)  # the latest first


def new_reference(*, session: Session) -> str:
    """A short public reference, e.g. R-7K3Q9, that no other person has."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        reference = f"R-{code}"
        if session.scalar(select(Person.id).where(Person.reference == reference)) is None:
            return reference


def _require(actor: StaffMember, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(permission.value)


def _normalised(fields_: PersonFields) -> PersonFields:
    email = fields_.email.strip().lower() if fields_.email else None
    numbers = sorted(set(fields_.phone_numbers))
    if len(numbers) > MAX_PHONE_NUMBERS:
        raise InvalidRequest("phone_numbers")
    return replace(fields_, email=email or None, phone_numbers=numbers)


def _visible_person(*, session: Session, viewer: StaffMember, person_id: int) -> Person:
    """The person, or NotFound if there is none or the viewer may not see a restricted one."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    if person.restricted and not viewer.can(Permission.PERSON_VIEW_RESTRICTED):
        refusal = RefusedRead(
            actor=viewer.slack_user_id, action="person.view_restricted", person_id=person_id
        )
        audit.record_refusal(session=session, refusal=refusal)
        raise refusal
    return person


def created_with(*, session: Session, creation_key: str) -> SavedPerson | None:
    """The person a form with this key created, if it did."""
    row = session.execute(
        select(Person.id, Person.reference).where(Person.creation_key == creation_key)
    ).first()
    return SavedPerson(id=row.id, reference=row.reference) if row else None


def create_person(
    *,
    session: Session,
    actor: StaffMember,
    fields: PersonFields,
    relationship_kind: RelationshipKind,
    legal_basis: LegalBasis,
    started_on: date | None = None,
    creation_key: str | None = None,
    consent: GivenConsent | None = None,
) -> SavedPerson:
    """A new person with one relationship; the actor becomes their responsible advisor. A
    relationship on the legal basis of consent needs the `consent`; one given is recorded
    whatever the basis.

    With a `creation_key`, once per key: a form sent again, or twice at once, gets the person
    the first one created. Two transactions racing with one key meet at the unique index: the
    second waits for the first, its insert fails inside its savepoint, and it returns the
    first one's person."""
    _require(actor, Permission.PERSON_CREATE)
    if creation_key is not None:
        existing = created_with(session=session, creation_key=creation_key)
        if existing is not None:
            return existing
    if legal_basis == LegalBasis.CONSENT and consent is None:
        raise ConsentRequired("relationship")
    values = _normalised(fields)
    person = Person(
        reference=new_reference(session=session),
        responsible_advisor_id=actor.id,
        creation_key=creation_key,
        **{name: getattr(values, name) for name in COLUMN_NAMES},
    )
    person.phone_numbers = [PhoneNumber(number=number) for number in values.phone_numbers]
    person.relationships = [
        Relationship(
            kind=relationship_kind,
            legal_basis=legal_basis,
            started_on=started_on or utcnow().date(),
        )
    ]
    try:
        with session.begin_nested():
            session.add(person)
    except IntegrityError:
        existing = (
            created_with(session=session, creation_key=creation_key) if creation_key else None
        )
        if existing is None:
            raise
        return existing
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.create",
        person_id=person.id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    if consent is not None:
        _give(session, actor, person.id, consent)
    return SavedPerson(id=person.id, reference=person.reference)


def _give(session: Session, actor: StaffMember, person_id: int, consent: GivenConsent) -> None:
    consents.record_consent(
        session=session,
        actor=actor,
        person_id=person_id,
        purpose=consent.purpose,
        given=True,
        on=consent.given_on,
    )


def _current_relationship(person: Person) -> Relationship | None:
    current = [r for r in person.relationships if r.ended_on is None]
    return max(current, key=lambda r: (r.started_on, r.id)) if current else None


def read_for_edit(
    *,
    session: Session,
    viewer: StaffMember,
    person_id: int,
    purpose: Purpose = Purpose.CUSTOMER_SERVICE,
) -> EditablePerson:
    """The person's fields for the edit form; the read is audited with `purpose`."""
    _require(viewer, Permission.PERSON_EDIT)
    person = _visible_person(session=session, viewer=viewer, person_id=person_id)
    audit.record(
        session=session,
        actor=viewer.slack_user_id,
        action="person.read_for_edit",
        person_id=person.id,
        purpose=purpose,
    )
    relationship = _current_relationship(person)
    return EditablePerson(
        id=person.id,
        reference=person.reference,
        fields=_fields_of(person),
        relationship_kind=relationship.kind if relationship else None,
        legal_basis=relationship.legal_basis if relationship else None,
    )


def _fields_of(person: Person) -> PersonFields:
    return PersonFields(
        phone_numbers=sorted(phone.number for phone in person.phone_numbers),
        **{name: getattr(person, name) for name in COLUMN_NAMES},
    )


def _set_relationship(
    person: Person, kind: RelationshipKind, legal_basis: LegalBasis, started_on: date
) -> bool:
    """The open relationship of that kind gets the legal basis, or a new one starts."""
    same_kind = [r for r in person.relationships if r.kind == kind and r.ended_on is None]
    if same_kind:
        relationship = max(same_kind, key=lambda r: (r.started_on, r.id))
        if relationship.legal_basis == legal_basis:
            return False
        relationship.legal_basis = legal_basis
        return True
    person.relationships.append(
        Relationship(kind=kind, legal_basis=legal_basis, started_on=started_on)
    )
    return True


def update_person(
    *,
    session: Session,
    actor: StaffMember,
    person_id: int,
    fields: PersonFields,
    only: Collection[str] | None = None,
    relationship_kind: RelationshipKind | None = None,
    legal_basis: LegalBasis | None = None,
    started_on: date | None = None,
    purpose: Purpose = Purpose.CUSTOMER_SERVICE,
    consent: GivenConsent | None = None,
) -> SavedPerson:
    """Writes the fields named in `only` (all by default) that differ from what is stored; the
    edit is audited with `purpose` (data_subject_request for a rectification).

    Phone numbers are replaced as a set. A relationship kind and legal basis set the legal basis
    of the person's open relationship of that kind, or start a new relationship of that kind;
    setting the basis to consent needs a consent in force, the `consent` given here or one
    recorded before (ConsentRequired).
    """
    _require(actor, Permission.PERSON_EDIT)
    person = _visible_person(session=session, viewer=actor, person_id=person_id)
    values = _normalised(fields)
    wanted = FIELD_NAMES if only is None else tuple(n for n in FIELD_NAMES if n in only)
    changed: list[str] = []
    for name in wanted:
        if name == "phone_numbers":
            if _replace_phones(person, values.phone_numbers):
                changed.append(name)
        elif getattr(person, name) != getattr(values, name):
            setattr(person, name, getattr(values, name))
            changed.append(name)
    if consent is not None:
        _give(session, actor, person.id, consent)
    if relationship_kind is not None and legal_basis is not None:
        today = started_on or utcnow().date()
        if _set_relationship(person, relationship_kind, legal_basis, today):
            changed.append("relationship")
            if legal_basis == LegalBasis.CONSENT and not consents.any_in_force(
                session=session, person_id=person.id
            ):
                raise ConsentRequired("relationship")
    if changed:
        person.updated_at = utcnow()
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.edit",
        person_id=person.id,
        purpose=purpose,
    )
    return SavedPerson(id=person.id, reference=person.reference, changed=tuple(changed))


def _replace_phones(person: Person, numbers: list[str]) -> bool:
    current = {phone.number for phone in person.phone_numbers}
    if current == set(numbers):
        return False
    person.phone_numbers = [p for p in person.phone_numbers if p.number in numbers]
    person.phone_numbers.extend(PhoneNumber(number=n) for n in numbers if n not in current)
    return True


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def check_duplicates(
    *,
    session: Session,
    viewer: StaffMember,
    fields: PersonFields,
    exclude_person_id: int | None = None,
    save_anyway: bool = False,
) -> DuplicateCheck:
    """Persons with the same e-mail, any same phone number, or the same name and birth date;
    for an edit (`exclude_person_id`), not the person edited nor those already found not to be
    the same person.

    Unless the viewer chose to save anyway, the matches they may see are a warning, audited as
    a read of each (purpose duplicate_check), and the save waits. Restricted matches the viewer
    may not see are never in the warning: they are returned for the contact persons once the
    save goes on, and audited as a duplicate check by the viewer.
    """
    matches = _duplicates(session, _normalised(fields), exclude_person_id)
    sees_restricted = viewer.can(Permission.PERSON_VIEW_RESTRICTED)
    visible = [match for match in matches if sees_restricted or not match.restricted]
    hidden = [match for match in matches if match not in visible]
    if visible and not save_anyway:
        _record(session, viewer, "person.duplicate_shown", visible)
        return DuplicateCheck(warning=visible, restricted=[])
    if hidden:
        _record(session, viewer, "person.duplicate_restricted", hidden)
    return DuplicateCheck(warning=[], restricted=hidden, accepted=visible)


def accept_distinct(
    *, session: Session, actor: StaffMember, person_id: int, others: Collection[int]
) -> None:
    """Remembers that the person is not the same as each of `others`, as the actor found when
    they saved anyway, so that neither's later saves warn of the other; each new pair audited
    as a duplicate check of both."""
    others = sorted(set(others) - {person_id})
    if not others:
        return
    rows = session.execute(
        select(DistinctPerson.person_id, DistinctPerson.other_person_id).where(
            or_(
                DistinctPerson.person_id == person_id,
                DistinctPerson.other_person_id == person_id,
            )
        )
    )
    known = {(first, second) for first, second in rows}
    new = [other for other in others if (person_id, other) not in known]
    if not new:
        return
    for other in new:
        for first, second in ((person_id, other), (other, person_id)):
            if (first, second) not in known:
                session.add(DistinctPerson(person_id=first, other_person_id=second))
    session.flush()
    audit.record_many(
        session=session,
        actor=actor.slack_user_id,
        action="person.duplicate_accepted",
        person_ids=[person_id, *new],
        purpose=Purpose.DUPLICATE_CHECK,
    )


def _record(
    session: Session, viewer: StaffMember, action: str, matches: list[DuplicateMatch]
) -> None:
    audit.record_many(
        session=session,
        actor=viewer.slack_user_id,
        action=action,
        person_ids=[match.id for match in matches],
        purpose=Purpose.DUPLICATE_CHECK,
    )


def _duplicates(
    session: Session, values: PersonFields, exclude_person_id: int | None
) -> list[DuplicateMatch]:
    conditions = []
    if values.email:
        conditions.append(Person.email == values.email)
    if values.phone_numbers:
        with_phone = select(PhoneNumber.person_id).where(
            PhoneNumber.number.in_(values.phone_numbers)
        )
        conditions.append(Person.id.in_(with_phone))
    if values.birth_date:
        conditions.append(Person.birth_date == values.birth_date)
    if not conditions:
        return []
    query = select(Person).where(or_(*conditions)).order_by(Person.id)
    if exclude_person_id is not None:
        accepted = select(DistinctPerson.other_person_id).where(
            DistinctPerson.person_id == exclude_person_id
        )
        query = query.where(Person.id != exclude_person_id, Person.id.not_in(accepted))
    matches = []
    for person in session.scalars(query):
        matched_on = _matched_on(person, values)
        if matched_on:
            matches.append(
                DuplicateMatch(
                    id=person.id,
                    reference=person.reference,
                    matched_on=matched_on,
                    restricted=person.restricted,
                )
            )
    return matches


MATCH_KINDS = ("email", "phone_numbers", "name_and_birth_date")
DuplicateKey = tuple[str, ...]


def duplicate_keys(
    *,
    first_name: str,
    last_name: str,
    email: str | None,
    phone_numbers: Collection[str],
    birth_date: date | None,
) -> frozenset[DuplicateKey]:
    """The form's duplicate rule as keys: two persons are duplicates when they share one, and
    the first item of a shared key names what they matched on. E-mail as stored (lower case),
    phone numbers in E.164, names compared folded."""
    keys: set[DuplicateKey] = {("phone_numbers", number) for number in phone_numbers}
    if email:
        keys.add(("email", email))
    if birth_date:
        keys.add(
            ("name_and_birth_date", _folded(first_name), _folded(last_name), birth_date.isoformat())
        )
    return frozenset(keys)


def keys_of(fields_: PersonFields) -> frozenset[DuplicateKey]:
    values = _normalised(fields_)
    return duplicate_keys(
        first_name=values.first_name,
        last_name=values.last_name,
        email=values.email,
        phone_numbers=values.phone_numbers,
        birth_date=values.birth_date,
    )


def matched_on(shared: Collection[DuplicateKey]) -> tuple[str, ...]:
    """What shared keys matched on, in the order the form names them."""
    kinds = {key[0] for key in shared}
    return tuple(kind for kind in MATCH_KINDS if kind in kinds)


def _matched_on(person: Person, values: PersonFields) -> tuple[str, ...]:
    stored = duplicate_keys(
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        phone_numbers=[phone.number for phone in person.phone_numbers],
        birth_date=person.birth_date,
    )
    return matched_on(stored & keys_of(values))


def person_card(
    *,
    session: Session,
    viewer: StaffMember,
    person_id: int,
    purpose: Purpose,
    every_meeting: bool = False,
) -> PersonCard:
    """Everything the register holds about the person; the look-up is audited with `purpose`.
    The latest CARD_MEETINGS meetings, or with `every_meeting` all of them."""
    _require(viewer, Permission.PERSON_VIEW)
    person = _visible_person(session=session, viewer=viewer, person_id=person_id)
    audit.record(
        session=session,
        actor=viewer.slack_user_id,
        action="person.view",
        person_id=person.id,
        purpose=purpose,
    )
    advisor = (
        session.get(StaffRow, person.responsible_advisor_id)
        if person.responsible_advisor_id
        else None
    )
    return PersonCard(
        id=person.id,
        reference=person.reference,
        fields=_fields_of(person),
        responsible_advisor_slack_user_id=advisor.slack_user_id if advisor else None,
        restricted=person.restricted,
        restricted_since=person.restricted_since,
        retention_hold_until=person.retention_hold_until,
        created_at=person.created_at,
        updated_at=person.updated_at,
        relationships=[
            RelationshipLine(r.kind, r.legal_basis, r.started_on, r.ended_on)
            for r in sorted(person.relationships, key=lambda r: (r.started_on, r.id))
        ],
        consents=[
            ConsentLine(c.purpose, c.given_at, c.withdrawn_at)
            for c in sorted(person.consents, key=lambda c: (c.given_at, c.id))
        ],
        meetings=_last_meetings(session, person.id, None if every_meeting else CARD_MEETINGS),
        open_requests=_open_requests(session, person.id),
        meeting_count=session.scalar(
            select(func.count()).select_from(Meeting).where(Meeting.person_id == person.id)
        )
        or 0,
        objections=_objections(session, person.id),
        disclosures=_disclosures(session, person.id),
    )


def _disclosures(session: Session, person_id: int) -> list[DisclosureLine]:
    query = (
        select(Disclosure)
        .where(Disclosure.person_id == person_id)
        .order_by(Disclosure.disclosed_at.desc(), Disclosure.id.desc())
    )
    return [
        DisclosureLine(d.recipient, d.recipient_kind, tuple(d.categories), d.disclosed_at)
        for d in session.scalars(query)
    ]


def _last_meetings(session: Session, person_id: int, limit: int | None) -> list[MeetingLine]:
    query = (
        select(Meeting, StaffRow.slack_user_id)
        .outerjoin(StaffRow, StaffRow.id == Meeting.advisor_id)
        .where(Meeting.person_id == person_id)
        .order_by(Meeting.occurred_at.desc(), Meeting.id.desc())
        .limit(limit)
    )
    return [
        MeetingLine(
            occurred_at=meeting.occurred_at,
            kind=meeting.kind,
            duration_minutes=meeting.duration_minutes,
            topic=meeting.topic,
            notes=meeting.notes,
            follow_up_on=meeting.follow_up_on,
            advisor_slack_user_id=slack_user_id,
        )
        for meeting, slack_user_id in session.execute(query)
    ]


def _objections(session: Session, person_id: int) -> list[ObjectionLine]:
    query = (
        select(DataSubjectRequest)
        .where(
            DataSubjectRequest.person_id == person_id,
            DataSubjectRequest.kind == RequestKind.OBJECTION,
            DataSubjectRequest.objection_scope.is_not(None),
            DataSubjectRequest.fulfilled_at.is_not(None),
            DataSubjectRequest.status != RequestStatus.REJECTED,
        )
        .order_by(DataSubjectRequest.fulfilled_at, DataSubjectRequest.id)
    )
    return [
        ObjectionLine(
            request_id=request.id,
            scope=request.objection_scope,
            at=request.fulfilled_at,
        )
        for request in session.scalars(query)
        if request.objection_scope is not None and request.fulfilled_at is not None
    ]


def _open_requests(session: Session, person_id: int) -> list[OpenRequest]:
    query = (
        select(DataSubjectRequest)
        .where(
            DataSubjectRequest.person_id == person_id,
            DataSubjectRequest.status.in_(OPEN_STATUSES),
        )
        .order_by(DataSubjectRequest.due_on, DataSubjectRequest.id)
    )
    return [
        OpenRequest(
            id=request.id,
            kind=request.kind,
            status=request.status,
            received_on=request.received_on,
            due_on=request.extended_due_on or request.due_on,
        )
        for request in session.scalars(query)
    ]
