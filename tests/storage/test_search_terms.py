"""The search terms and words follow every write to persons: an edit, an erasure, an import, a
restriction and a meeting that moves a person in the ranking."""

import uuid
from datetime import UTC, date, datetime, timedelta

from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage import erasure, restriction
from storage.db import Database
from storage.imports import PersonImport, PersonRow
from storage.meeting_imports import MeetingImport, MeetingRow
from storage.meetings import MeetingFields, log_meeting
from storage.migrate import alembic_config, upgrade
from storage.models.enums import DataSource, LegalBasis, MeetingKind, RelationshipKind, Role
from storage.persons import PersonFields
from storage.search_words import known_words, terms
from tests.people import add_person, add_staff
from tests.storage.searching import CONTROLLER, names

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def term_rows(session: Session, person_id: int) -> set[str]:
    return set(session.scalars(select(terms.c.term).where(terms.c.person_id == person_id)))


def persons_with_word(session: Session, word: str) -> int | None:
    return session.scalar(select(known_words.c.persons).where(known_words.c.word == word))


def test_a_person_has_every_word_start_and_each_whole_word(session: Session) -> None:
    person = add_person(session, "Anna-Liisa", "Ek")

    assert term_rows(session, person.id) == {
        "an", "ann", "anna", "anna ",
        "li", "lii", "liis", "liisa", "liisa ",
        "ek", "ek ",
    }  # fmt: skip


def test_an_edit_replaces_the_terms_and_counts_the_words(session: Session) -> None:
    person = add_person(session, "Testi", "Virtanen")
    add_person(session, "Maija", "Kivimäki")
    person.last_name = "Kivimäki"
    session.flush()

    assert names(session, "virtanen") == []
    assert names(session, "virtasen") == []  # no typo finds the old name either
    assert sorted(names(session, "imaki")) == ["Maija Kivimäki", "Testi Kivimäki"]
    assert "virtanen " not in term_rows(session, person.id)
    assert persons_with_word(session, "virtanen") is None
    assert persons_with_word(session, "kivimaki") == 2
    assert persons_with_word(session, "testi") == 1  # kept by the edit, counted once


def test_an_erasure_leaves_no_term_and_no_word_behind(session: Session) -> None:
    controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
    person = add_person(session, "Uniikki", "Poistettava")
    add_person(session, "Uniikki", "Säilyvä")

    erasure.erase(session=session, actor=controller, person_id=person.id, request_id=None)

    assert term_rows(session, person.id) == set()
    assert persons_with_word(session, "poistettava") is None
    assert persons_with_word(session, "uniikki") == 1
    assert names(session, "istettava", CONTROLLER) == []
    assert names(session, "poistetava", CONTROLLER) == []
    if session.get_bind().dialect.name == "sqlite":
        fragments = session.scalar(
            text(
                "SELECT count(*) FROM persons_search_words_trigrams "
                "WHERE persons_search_words_trigrams MATCH 'poistettava'"
            )
        )
        assert fragments == 0


def test_imported_persons_are_found_by_start_inside_and_typo(session: Session) -> None:
    rows = [
        PersonRow(
            line=2,
            fields=PersonFields(
                first_name="Tuotu", last_name="Rantasalmi", source=DataSource.EARLIER_REGISTER
            ),
            relationship_kind=RelationshipKind.CUSTOMER,
            legal_basis=LegalBasis.CONTRACT,
            started_on=date(2015, 4, 3),
        )
    ]

    PersonImport(dry_run=False).add(session=session, rows=rows)

    assert names(session, "ranta") == ["Tuotu Rantasalmi"]
    assert names(session, "salmi") == ["Tuotu Rantasalmi"]
    assert names(session, "rantasalni") == ["Tuotu Rantasalmi"]
    assert persons_with_word(session, "rantasalmi") == 1


def test_a_logged_meeting_moves_its_person_first(session: Session) -> None:
    advisor = add_staff(session, "UADVISOR")
    add_person(session, "Maija", "Virtanen", last_activity_at=NOW - timedelta(days=1))
    later = add_person(session, "Testi", "Virtanen", last_activity_at=NOW - timedelta(days=9))
    assert names(session, "virtanen") == ["Maija Virtanen", "Testi Virtanen"]

    fields = MeetingFields(
        person_id=later.id,
        occurred_at=NOW,
        duration_minutes=30,
        kind=MeetingKind.MEETING,
        topic=None,
        notes=None,
        follow_up_on=None,
    )
    log_meeting(session=session, actor=advisor, fields=fields, idempotency_key="test-move")

    assert names(session, "virtanen") == ["Testi Virtanen", "Maija Virtanen"]
    assert names(session, "virt") == ["Testi Virtanen", "Maija Virtanen"]
    assert names(session, "irtanen") == ["Testi Virtanen", "Maija Virtanen"]


def test_imported_meetings_move_their_persons_in_every_tier(session: Session) -> None:
    add_person(session, "Maija", "Kivimäki", last_activity_at=NOW - timedelta(days=1))
    later = add_person(session, "Testi", "Kivimäki", last_activity_at=NOW - timedelta(days=9))
    row = MeetingRow(
        line=2,
        person=later.reference,
        advisor=None,
        occurred_at=NOW,
        duration_minutes=60,
        kind=MeetingKind.MEETING,
        topic=None,
        notes=None,
        follow_up_on=None,
    )

    MeetingImport(dry_run=False).add(session=session, rows=[row])

    moved = ["Testi Kivimäki", "Maija Kivimäki"]
    assert names(session, "kivimaki") == moved
    assert names(session, "vimaki") == moved
    assert names(session, "kivinaki") == moved


def test_a_restriction_hides_the_person_at_every_tier(session: Session) -> None:
    controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
    person = add_person(session, "Testi", "Kivimäki")
    restriction.restrict(
        session=session, actor=controller, person_id=person.id, reason="test", request_id=None
    )

    for query in ("kivimaki", "kivi", "vimaki", "kivinaki"):
        assert names(session, query) == []
        assert names(session, query, CONTROLLER) == ["Testi Kivimäki"]
    restriction.lift_restriction(session=session, actor=controller, person_id=person.id)
    assert names(session, "kivi") == ["Testi Kivimäki"]


def test_the_migration_indexes_persons_already_in_the_register(database: Database) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013")
        for reference, first_name in (("R-MIGR1", "Testi"), ("R-MIGR2", "Maija")):
            connection.execute(
                text(
                    "INSERT INTO persons (reference, person_key, first_name, last_name,"
                    " search_name, source, restricted, created_at, updated_at,"
                    " last_activity_at) VALUES (:reference, :key, :first_name, 'Kivimäki',"
                    " :search_name, 'person', false, :now, :now, :now)"
                ),
                {
                    "reference": reference,
                    "key": uuid.uuid4().hex,
                    "first_name": first_name,
                    "search_name": f" {first_name.lower()} kivimaki ",
                    "now": NOW.replace(tzinfo=None),
                },
            )
    upgrade(database.engine)

    with database.transaction() as session:
        both = ["Testi Kivimäki", "Maija Kivimäki"]
        assert names(session, "kivimaki") == both
        assert names(session, "maija kivi") == ["Maija Kivimäki"]
        assert names(session, "vimaki") == both
        assert names(session, "kivinaki") == both
        assert persons_with_word(session, "kivimaki") == 2
        count = session.scalar(select(func.count()).select_from(terms))
        assert count == 2 * (len("testi") + len("kivimaki"))
