"""Bringing in an earlier register: the person form's duplicate rule applied in bulk, within the
file and against the register, reruns that create nothing, and an audit event per person."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import audit
from storage.db import Database
from storage.imports import ALREADY_IMPORTED, PersonImport, PersonRow
from storage.models import AuditEvent, AuditEventPerson, Person, PhoneNumber, Relationship
from storage.models.enums import (
    DataSource,
    LegalBasis,
    Purpose,
    RelationshipKind,
)
from storage.persons import PersonFields
from tests.people import add_person

BORN = date(1979, 7, 1)


def row(line: int, first: str = "Testi", last: str = "Virtanen", **fields: object) -> PersonRow:
    started_on = fields.pop("started_on", None)
    return PersonRow(
        line=line,
        fields=PersonFields(
            first_name=first,
            last_name=last,
            source=DataSource.EARLIER_REGISTER,
            **fields,  # type: ignore[arg-type]
        ),
        relationship_kind=RelationshipKind.CUSTOMER,
        legal_basis=LegalBasis.CONTRACT,
        started_on=started_on,  # type: ignore[arg-type]
    )


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_new_persons_come_in_with_their_phones_relationship_and_one_audit_event_each(
    session: Session,
) -> None:
    rows = [
        row(2, email="testi.virtanen@example.fi", phone_numbers=["+358401234567"]),
        row(3, "Maija", "Mallikas", birth_date=BORN, started_on=date(2015, 4, 3)),
    ]

    batch = PersonImport(dry_run=False).add(session=session, rows=rows)

    assert [line for line, _ in batch.imported] == [2, 3] and batch.skipped == []
    references = [reference for _, reference in batch.imported]
    persons = {p.reference: p for p in session.scalars(select(Person))}
    first, second = persons[references[0]], persons[references[1]]
    assert first.source is DataSource.EARLIER_REGISTER and first.responsible_advisor_id is None
    assert first.search_name == " testi virtanen " and first.creation_key
    assert [phone.number for phone in first.phone_numbers] == ["+358401234567"]
    relationship = second.relationships[0]
    assert (relationship.kind, relationship.started_on) == (
        RelationshipKind.CUSTOMER,
        date(2015, 4, 3),
    )
    # Retention counts from the person's history, not from the day of the import.
    assert second.last_activity_at == datetime(2015, 4, 3, tzinfo=UTC)
    events = session.execute(
        select(
            AuditEvent.actor, AuditEvent.action, AuditEventPerson.person_id, AuditEvent.purpose
        ).join(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
    ).all()
    assert sorted(events) == sorted(
        ("import", "person.import", person.id, Purpose.IMPORT) for person in (first, second)
    )
    assert count(session, AuditEvent) == 1  # the batch is one act
    assert audit.verify_chain(session=session).intact


def test_a_line_repeating_an_earlier_one_by_the_form_s_rules_is_skipped_and_named(
    session: Session,
) -> None:
    importer = PersonImport(dry_run=False)
    first = importer.add(
        session=session,
        rows=[
            row(2, email="testi.virtanen@example.fi"),
            row(3, "Maija", "Mallikas", phone_numbers=["+358401234567"]),
            row(4, "Matti", "Meikäläinen", birth_date=BORN),
            row(5, "Pekka", "Malli"),
        ],
    )
    # The next batch of the same file: the lines before are remembered.
    second = importer.add(
        session=session,
        rows=[
            row(6, "Tiina", "Toinen", email="TESTI.VIRTANEN@example.fi"),
            row(7, "Maija", "Muu", phone_numbers=["+358409999999", "+358401234567"]),
            row(8, "MATTI", "meikäläinen", birth_date=BORN),
            row(9, "Matti", "Meikäläinen", birth_date=date(1980, 1, 1)),
            row(10, "Pekka", "Malli"),
        ],
    )

    assert len(first.imported) == 4 and first.skipped == []
    assert [line for line, _ in second.imported] == [9]
    assert [(s.line, s.of_line, s.matched_on) for s in second.skipped] == [
        (6, 2, ("email",)),
        (7, 3, ("phone_numbers",)),
        (8, 4, ("name_and_birth_date",)),
        (10, 5, ()),  # word for word: no rule applies, the line itself repeats
    ]
    assert count(session, Person) == 5


def test_a_line_matching_the_register_is_skipped_naming_the_person_unless_restricted(
    session: Session,
) -> None:
    known = add_person(session, email="testi.virtanen@example.fi")
    hidden = add_person(
        session, "Salla", "Salainen", restricted=True, phone_numbers=("+358501112222",)
    )

    batch = PersonImport(dry_run=False).add(
        session=session,
        rows=[
            row(2, "Toinen", "Nimi", email="testi.virtanen@example.fi"),
            row(3, "Salla", "Salainen", phone_numbers=["+358501112222"]),
            row(4, "Uusi", "Henkilö"),
        ],
    )

    assert [line for line, _ in batch.imported] == [4]
    assert [(s.line, s.reference, s.person_id, s.matched_on) for s in batch.skipped] == [
        (2, known.reference, known.id, ("email",)),
        (3, None, hidden.id, ("phone_numbers",)),
    ]
    looked_up = session.execute(
        select(AuditEventPerson.person_id, AuditEvent.purpose)
        .join(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
        .where(AuditEvent.action == "person.import_duplicate")
    ).all()
    assert sorted(looked_up) == sorted([(known.id, Purpose.IMPORT), (hidden.id, Purpose.IMPORT)])


def test_the_same_file_again_creates_nothing_even_for_lines_with_no_keys(session: Session) -> None:
    rows = [row(2, "Pekka", "Malli"), row(3, email="testi.virtanen@example.fi")]
    created = PersonImport(dry_run=False).add(session=session, rows=rows)
    events = count(session, AuditEvent)

    again = PersonImport(dry_run=False).add(session=session, rows=rows)

    assert again.imported == []
    references = dict(created.imported)
    assert [(s.line, s.matched_on, s.reference) for s in again.skipped] == [
        (2, (ALREADY_IMPORTED,), references[2]),
        (3, (ALREADY_IMPORTED,), references[3]),
    ]
    assert count(session, Person) == 2 and count(session, AuditEvent) == events


def test_a_dry_run_says_what_would_come_in_and_writes_nothing(session: Session) -> None:
    add_person(session, email="testi.virtanen@example.fi")
    before = {
        model: count(session, model) for model in (Person, PhoneNumber, Relationship, AuditEvent)
    }

    batch = PersonImport(dry_run=True).add(
        session=session,
        rows=[
            row(2, email="testi.virtanen@example.fi"),
            row(3, "Uusi", "Henkilö", phone_numbers=["+358401234567"]),
            row(4, "Uusi", "Toinen", phone_numbers=["+358401234567"]),
        ],
    )

    assert batch.imported == [(3, None)]
    assert [(s.line, s.of_line) for s in batch.skipped] == [(2, None), (4, 3)]
    assert {model: count(session, model) for model in before} == before


def test_the_register_admits_the_earlier_register_as_a_source_and_nothing_unknown(
    database: Database,
) -> None:
    with database.transaction() as session:
        person = add_person(session)
        person.source = DataSource.EARLIER_REGISTER
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.execute(text("UPDATE persons SET source = 'guesswork'"))
    with database.transaction() as session:
        assert session.scalar(select(Person.source)) is DataSource.EARLIER_REGISTER
