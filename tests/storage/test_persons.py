from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import persons
from storage.consents import GivenConsent, consents_of
from storage.errors import ConsentRequired, InvalidRequest, NotFound, PermissionDenied
from storage.models import (
    AuditEvent,
    AuditEventPerson,
    DataSubjectRequest,
    DistinctPerson,
    Meeting,
    Person,
    Staff,
)
from storage.models.enums import (
    AuditOutcome,
    ConsentPurpose,
    DataSource,
    Gender,
    LegalBasis,
    MeetingKind,
    Purpose,
    RelationshipKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
    Role,
)
from storage.persons import PersonFields
from storage.phones import MAX_PHONE_NUMBERS
from storage.staff import StaffMember


def member(session: Session, slack_user_id: str, role: Role) -> StaffMember:
    row = Staff(slack_user_id=slack_user_id, role=role)
    session.add(row)
    session.flush()
    return StaffMember.of(row)


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return member(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return member(session, "UCONTROL", Role.CONTROLLER)


def sample(**overrides: object) -> PersonFields:
    values: dict[str, object] = dict(
        first_name="Testi",
        last_name="Virtanen",
        email="Testi.Virtanen@Example.fi",
        phone_numbers=["+358401234567"],
        street_address="Esimerkkikatu 1",
        postal_code="00100",
        post_office="Helsinki",
        municipality="Helsinki",
        nationality="FI",
        gender=Gender.OTHER,
        birth_date=date(1990, 5, 17),
        source=DataSource.PERSON,
    )
    values.update(overrides)
    return PersonFields(**values)  # type: ignore[arg-type]


def create(session: Session, actor: StaffMember, fields: PersonFields | None = None) -> int:
    saved = persons.create_person(
        session=session,
        actor=actor,
        fields=fields or sample(),
        relationship_kind=RelationshipKind.CUSTOMER,
        legal_basis=LegalBasis.CONTRACT,
        started_on=date(2026, 1, 5),
    )
    return saved.id


def audit_rows(session: Session, person_id: int) -> list[tuple[str, str | None, AuditOutcome]]:
    query = select(AuditEvent.action, AuditEvent.purpose, AuditEvent.outcome).where(
        AuditEvent.person_id == person_id
    )
    return [tuple(row) for row in session.execute(query.order_by(AuditEvent.id))]  # type: ignore[misc]


def test_a_new_person_gets_a_reference_a_relationship_and_an_audit_row(
    session: Session, advisor: StaffMember
) -> None:
    saved = persons.create_person(
        session=session,
        actor=advisor,
        fields=sample(),
        relationship_kind=RelationshipKind.MEMBER,
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        started_on=date(2026, 1, 5),
    )

    person = session.get(Person, saved.id)
    assert person is not None
    assert saved.reference == person.reference
    assert person.reference.startswith("R-") and len(person.reference) == 7
    assert not set(person.reference[2:]) & set("01ILO")
    assert person.email == "testi.virtanen@example.fi"
    assert person.responsible_advisor_id == advisor.id
    assert [p.number for p in person.phone_numbers] == ["+358401234567"]
    ((kind, basis, started),) = [
        (r.kind, r.legal_basis, r.started_on) for r in person.relationships
    ]
    assert (kind, basis, started) == (
        RelationshipKind.MEMBER,
        LegalBasis.LEGAL_OBLIGATION,
        date(2026, 1, 5),
    )
    assert audit_rows(session, saved.id) == [
        ("person.create", Purpose.CUSTOMER_SERVICE.value, AuditOutcome.ALLOWED)
    ]


def test_references_are_unique(session: Session, advisor: StaffMember) -> None:
    ids = [create(session, advisor, sample(email=None, phone_numbers=[])) for _ in range(20)]
    references = session.scalars(select(Person.reference).where(Person.id.in_(ids)))
    assert len(set(references)) == 20


def test_an_edit_writes_only_what_changed_and_moves_updated_at(
    session: Session, advisor: StaffMember
) -> None:
    person_id = create(session, advisor)
    person = session.get(Person, person_id)
    assert person is not None
    person.updated_at = datetime(2026, 1, 1, tzinfo=UTC)
    person.municipality = "Espoo"  # changed elsewhere since the form was opened
    session.flush()

    edited = replace(
        sample(),
        street_address="Esimerkkikatu 2",
        phone_numbers=["+358501234567", "+358401234567"],
    )
    saved = persons.update_person(
        session=session,
        actor=advisor,
        person_id=person_id,
        fields=edited,
        only={"street_address", "phone_numbers"},
    )

    session.refresh(person)
    assert saved.changed == ("phone_numbers", "street_address")
    assert person.street_address == "Esimerkkikatu 2"
    assert person.municipality == "Espoo"
    assert sorted(p.number for p in person.phone_numbers) == ["+358401234567", "+358501234567"]
    assert person.updated_at > datetime(2026, 1, 1, tzinfo=UTC)
    assert audit_rows(session, person_id)[-1] == (
        "person.edit",
        Purpose.CUSTOMER_SERVICE.value,
        AuditOutcome.ALLOWED,
    )


def test_phones_are_replaced_as_a_set(session: Session, advisor: StaffMember) -> None:
    person_id = create(session, advisor)

    persons.update_person(
        session=session,
        actor=advisor,
        person_id=person_id,
        fields=sample(phone_numbers=["+358501234567"]),
    )

    person = session.get(Person, person_id)
    assert person is not None
    assert [p.number for p in person.phone_numbers] == ["+358501234567"]


def test_a_person_holds_at_most_the_phone_numbers_the_form_can_show(
    session: Session, advisor: StaffMember
) -> None:
    person_id = create(session, advisor)
    most = [f"+35840123{4500 + i}" for i in range(MAX_PHONE_NUMBERS)]
    persons.update_person(
        session=session, actor=advisor, person_id=person_id, fields=sample(phone_numbers=most)
    )
    with pytest.raises(InvalidRequest):
        persons.update_person(
            session=session,
            actor=advisor,
            person_id=person_id,
            fields=sample(phone_numbers=[*most, "+358401239999"]),
        )
    with pytest.raises(InvalidRequest):
        persons.create_person(
            session=session,
            actor=advisor,
            fields=sample(phone_numbers=[*most, "+358401239999"]),
            relationship_kind=RelationshipKind.CUSTOMER,
            legal_basis=LegalBasis.CONTRACT,
        )


def test_an_edit_sets_the_legal_basis_or_adds_a_relationship(
    session: Session, advisor: StaffMember
) -> None:
    person_id = create(session, advisor)

    def edit(
        kind: RelationshipKind, basis: LegalBasis, consent: GivenConsent | None = None
    ) -> tuple[str, ...]:
        return persons.update_person(
            session=session,
            actor=advisor,
            person_id=person_id,
            fields=sample(),
            relationship_kind=kind,
            legal_basis=basis,
            started_on=date(2026, 2, 1),
            consent=consent,
        ).changed

    assert edit(RelationshipKind.CUSTOMER, LegalBasis.CONTRACT) == ()
    surveyed = GivenConsent(ConsentPurpose.SATISFACTION_SURVEY, date(2026, 1, 30))
    assert edit(RelationshipKind.CUSTOMER, LegalBasis.CONSENT, surveyed) == ("relationship",)
    assert edit(RelationshipKind.MEMBER, LegalBasis.LEGAL_OBLIGATION) == ("relationship",)

    editable = persons.read_for_edit(session=session, viewer=advisor, person_id=person_id)
    assert (editable.relationship_kind, editable.legal_basis) == (
        RelationshipKind.MEMBER,
        LegalBasis.LEGAL_OBLIGATION,
    )
    card = persons.person_card(
        session=session, viewer=advisor, person_id=person_id, purpose=Purpose.CUSTOMER_SERVICE
    )
    assert [(r.kind, r.legal_basis) for r in card.relationships] == [
        (RelationshipKind.CUSTOMER, LegalBasis.CONSENT),
        (RelationshipKind.MEMBER, LegalBasis.LEGAL_OBLIGATION),
    ]


def test_reading_for_the_edit_form_is_audited(session: Session, advisor: StaffMember) -> None:
    person_id = create(session, advisor)

    editable = persons.read_for_edit(session=session, viewer=advisor, person_id=person_id)

    assert editable.fields == replace(sample(), email="testi.virtanen@example.fi")
    assert audit_rows(session, person_id)[-1] == (
        "person.read_for_edit",
        Purpose.CUSTOMER_SERVICE.value,
        AuditOutcome.ALLOWED,
    )


def test_duplicates_by_email_phone_or_name_and_birth_date(
    session: Session, advisor: StaffMember
) -> None:
    testi_id = create(session, advisor)
    maija_id = create(
        session,
        advisor,
        sample(
            first_name="Maija",
            last_name="Mäkinen",
            email="maija@example.com",
            phone_numbers=["+358501112223"],
            birth_date=date(1985, 3, 1),
        ),
    )

    def matches(fields: PersonFields, exclude: int | None = None) -> list[tuple[int, tuple]]:
        found = persons.check_duplicates(
            session=session, viewer=advisor, fields=fields, exclude_person_id=exclude
        )
        return [(match.id, match.matched_on) for match in found.warning]

    def probe(**overrides: object) -> PersonFields:
        nobody: dict[str, object] = dict(
            first_name="Uusi", last_name="Henkilö", email=None, phone_numbers=[], birth_date=None
        )
        return sample(**(nobody | overrides))

    assert matches(probe(email="TESTI.virtanen@example.fi")) == [(testi_id, ("email",))]
    assert matches(probe(phone_numbers=["+358501112223"])) == [(maija_id, ("phone_numbers",))]
    assert matches(probe(first_name="MAIJA", last_name="MÄKINEN", birth_date=date(1985, 3, 1))) == [
        (maija_id, ("name_and_birth_date",))
    ]
    assert matches(probe(first_name="Maija", birth_date=date(1985, 3, 1))) == []
    assert matches(sample(), exclude=testi_id) == []
    assert ("person.duplicate_shown", "duplicate_check", AuditOutcome.ALLOWED) in audit_rows(
        session, maija_id
    )


def test_the_warning_carries_the_reference_and_what_matched_but_no_name(
    session: Session, advisor: StaffMember
) -> None:
    testi_id = create(session, advisor)
    person = session.get(Person, testi_id)
    assert person is not None

    check = persons.check_duplicates(
        session=session, viewer=advisor, fields=sample(first_name="Uusi", birth_date=None)
    )

    (match,) = check.warning
    assert (match.id, match.reference, match.matched_on) == (
        testi_id,
        person.reference,
        ("email", "phone_numbers"),
    )
    shown = repr(match)
    assert "Testi" not in shown and "Virtanen" not in shown and "example.fi" not in shown
    assert check.restricted == []


def test_saving_anyway_shows_no_warning_and_audits_no_read(
    session: Session, advisor: StaffMember
) -> None:
    testi_id = create(session, advisor)

    check = persons.check_duplicates(
        session=session, viewer=advisor, fields=sample(), save_anyway=True
    )

    assert check.warning == [] and check.restricted == []
    assert [row[0] for row in audit_rows(session, testi_id)] == ["person.create"]


def test_a_duplicate_saved_anyway_stays_accepted_both_ways(
    session: Session, advisor: StaffMember
) -> None:
    original_id = create(session, advisor)
    check = persons.check_duplicates(
        session=session, viewer=advisor, fields=sample(), save_anyway=True
    )
    assert [match.id for match in check.accepted] == [original_id]
    second_id = create(session, advisor)

    persons.accept_distinct(
        session=session, actor=advisor, person_id=second_id, others=[original_id]
    )
    persons.accept_distinct(
        session=session, actor=advisor, person_id=second_id, others=[original_id, second_id]
    )

    def warned(person_id: int) -> list[int]:
        found = persons.check_duplicates(
            session=session, viewer=advisor, fields=sample(), exclude_person_id=person_id
        )
        return [match.id for match in found.warning]

    assert warned(original_id) == [] and warned(second_id) == []
    third_id = create(session, advisor)
    assert warned(original_id) == [third_id]
    accepted = select(AuditEventPerson.person_id).join(
        AuditEvent, AuditEvent.id == AuditEventPerson.event_id
    )
    accepted = accepted.where(AuditEvent.action == "person.duplicate_accepted")
    assert sorted(session.scalars(accepted)) == [original_id, second_id]
    pairs = session.execute(select(DistinctPerson.person_id, DistinctPerson.other_person_id))
    assert sorted(tuple(pair) for pair in pairs) == sorted(
        [(original_id, second_id), (second_id, original_id)]
    )

    session.delete(session.get(Person, second_id))
    session.flush()
    assert session.scalars(select(DistinctPerson)).all() == []


def test_restricted_persons_are_hidden_from_advisors(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    person_id = create(session, advisor)
    person = session.get(Person, person_id)
    assert person is not None
    person.restricted = True
    session.flush()

    for_advisor = persons.check_duplicates(session=session, viewer=advisor, fields=sample())
    for_controller = persons.check_duplicates(session=session, viewer=controller, fields=sample())

    assert for_advisor.warning == []
    assert [(m.id, m.reference) for m in for_advisor.restricted] == [(person_id, person.reference)]
    assert [m.id for m in for_controller.warning] == [person_id]
    assert for_controller.restricted == []
    assert audit_rows(session, person_id)[1:] == [
        ("person.duplicate_restricted", "duplicate_check", AuditOutcome.ALLOWED),
        ("person.duplicate_shown", "duplicate_check", AuditOutcome.ALLOWED),
    ]
    with pytest.raises(NotFound):
        persons.person_card(
            session=session, viewer=advisor, person_id=person_id, purpose=Purpose.CUSTOMER_SERVICE
        )
    with pytest.raises(NotFound):
        persons.read_for_edit(session=session, viewer=advisor, person_id=person_id)
    with pytest.raises(NotFound):
        persons.update_person(session=session, actor=advisor, person_id=person_id, fields=sample())
    card = persons.person_card(
        session=session, viewer=controller, person_id=person_id, purpose=Purpose.CUSTOMER_SERVICE
    )
    assert card.restricted
    denied = [row for row in audit_rows(session, person_id) if row[2] is AuditOutcome.DENIED]
    assert len(denied) == 3


def test_a_missing_person_is_not_found(session: Session, advisor: StaffMember) -> None:
    with pytest.raises(NotFound):
        persons.person_card(
            session=session, viewer=advisor, person_id=999_999, purpose=Purpose.CUSTOMER_SERVICE
        )


def test_an_admin_without_the_permission_cannot_create(session: Session) -> None:
    inactive = replace(member(session, "UGONE", Role.ADVISOR), active=False)
    with pytest.raises(PermissionDenied):
        create(session, inactive)


def test_the_card_holds_everything_and_is_audited_with_its_purpose(
    session: Session, advisor: StaffMember
) -> None:
    person_id = create(session, advisor)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for number in range(12):
        session.add(
            Meeting(
                person_id=person_id,
                advisor_id=advisor.id,
                occurred_at=start + timedelta(days=number),
                kind=MeetingKind.MEETING,
                topic=f"Liiketoimintasuunnitelma {number}",
                idempotency_key=f"test-{person_id}-{number}",
            )
        )
    for status in RequestStatus:
        session.add(
            DataSubjectRequest(
                kind=RequestKind.ACCESS,
                person_id=person_id,
                channel=RequestChannel.EMAIL,
                received_on=date(2026, 3, 2),
                due_on=date(2026, 4, 2),
                status=status,
            )
        )
    session.flush()

    card = persons.person_card(
        session=session, viewer=advisor, person_id=person_id, purpose=Purpose.MEETING_RECORD
    )

    assert card.fields.first_name == "Testi" and card.fields.phone_numbers == ["+358401234567"]
    assert card.responsible_advisor_slack_user_id == "UADVISOR"
    assert len(card.meetings) == 10
    assert card.meetings[0].topic == "Liiketoimintasuunnitelma 11"
    assert card.meetings[0].advisor_slack_user_id == "UADVISOR"
    assert [r.status for r in card.open_requests] == [
        RequestStatus.RECEIVED,
        RequestStatus.IN_PROGRESS,
        RequestStatus.FULFILLED,  # open until the answer reaches the person
    ]
    assert card.open_requests[0].due_on == date(2026, 4, 2)
    assert audit_rows(session, person_id)[-1] == (
        "person.view",
        Purpose.MEETING_RECORD.value,
        AuditOutcome.ALLOWED,
    )


def test_a_restricted_match_waits_while_a_visible_one_is_warned_of(
    session: Session, advisor: StaffMember
) -> None:
    hidden_id = create(session, advisor, sample(phone_numbers=[]))
    visible_id = create(session, advisor, sample(email="toinen@example.fi"))
    hidden = session.get(Person, hidden_id)
    assert hidden is not None
    hidden.restricted = True
    session.flush()

    warned = persons.check_duplicates(session=session, viewer=advisor, fields=sample())
    saved_anyway = persons.check_duplicates(
        session=session, viewer=advisor, fields=sample(), save_anyway=True
    )

    assert [m.id for m in warned.warning] == [visible_id] and warned.restricted == []
    assert saved_anyway.warning == []
    assert [m.id for m in saved_anyway.restricted] == [hidden_id]
    assert [row[0] for row in audit_rows(session, hidden_id)] == [
        "person.create",
        "person.duplicate_restricted",
    ]


def test_a_relationship_on_consent_comes_with_the_consent_or_not_at_all(
    session: Session, advisor: StaffMember
) -> None:
    def new(consent: GivenConsent | None) -> int:
        return persons.create_person(
            session=session,
            actor=advisor,
            fields=sample(email=None, phone_numbers=[]),
            relationship_kind=RelationshipKind.MEMBER,
            legal_basis=LegalBasis.CONSENT,
            consent=consent,
        ).id

    with pytest.raises(ConsentRequired):
        new(None)
    assert session.scalars(select(Person)).all() == []

    marketing = GivenConsent(ConsentPurpose.MARKETING, date(2026, 1, 5))
    person_id = new(marketing)

    given = [c for c in consents_of(session=session, person_id=person_id) if c.in_force]
    assert [(c.purpose, c.given_on) for c in given] == [
        (ConsentPurpose.MARKETING, date(2026, 1, 5))
    ]
    assert [action for action, _, _ in audit_rows(session, person_id)] == [
        "person.create",
        "consent.give",
    ]


def test_an_edit_to_the_basis_of_consent_needs_a_consent_in_force(
    session: Session, advisor: StaffMember
) -> None:
    person_id = create(session, advisor)

    def to_consent(consent: GivenConsent | None = None) -> tuple[str, ...]:
        return persons.update_person(
            session=session,
            actor=advisor,
            person_id=person_id,
            fields=sample(),
            relationship_kind=RelationshipKind.CUSTOMER,
            legal_basis=LegalBasis.CONSENT,
            consent=consent,
        ).changed

    with pytest.raises(ConsentRequired), session.begin_nested():
        to_consent()
    surveyed = GivenConsent(ConsentPurpose.SATISFACTION_SURVEY, date(2026, 1, 30))
    assert to_consent(surveyed) == ("relationship",)


def test_the_municipality_is_saved_in_one_spelling(session: Session, advisor: StaffMember) -> None:
    first = create(session, advisor, sample(municipality=" hämeenlinna "))
    second = create(
        session,
        advisor,
        sample(municipality="HÄMEENLINNA", email=None, phone_numbers=[], birth_date=None),
    )
    persons.update_person(
        session=session,
        actor=advisor,
        person_id=second,
        fields=sample(municipality="sankt   PETERSBURG"),
        only={"municipality"},
    )

    stored = {p.id: p.municipality for p in session.scalars(select(Person))}
    assert stored == {first: "Hämeenlinna", second: "Sankt Petersburg"}
