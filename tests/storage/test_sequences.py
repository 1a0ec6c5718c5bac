"""Ids are never given twice: AUTOINCREMENT on SQLite, and sequences raised to the marks kept
outside the database after a restore took them back."""

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage import sequences
from storage.models import Base
from tests.people import add_person
from tests.restores import rewind_sequence


def test_every_table_with_an_id_takes_it_from_a_sequence_that_never_goes_back(
    session: Session,
) -> None:
    tables = sequences.tables_with_ids()
    assert {table.name for table in tables} == {
        table.name for table in Base.metadata.sorted_tables if "id" in table.columns
    }
    for table in tables:
        if session.get_bind().dialect.name == "sqlite":
            ddl = session.scalar(
                text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": table.name}
            )
            assert "AUTOINCREMENT" in ddl, table.name
        else:
            sequence = session.scalar(
                text("SELECT pg_get_serial_sequence(:name, 'id')"), {"name": table.name}
            )
            assert sequence, table.name


def test_the_marks_count_ids_given_and_then_deleted(session: Session) -> None:
    person = add_person(session, "Poistuva", "Viimeinen")
    session.delete(person)
    session.flush()

    assert sequences.high_water_marks(session=session)["persons"] >= person.id


def test_raising_to_the_marks_after_a_restore_gives_a_new_id(session: Session) -> None:
    person = add_person(session, "Ennen", "Palautusta")
    newest = person.id
    marks = sequences.high_water_marks(session=session)
    # A backup from before the person was added: neither the row nor its id in the sequence.
    session.delete(person)
    session.flush()
    rewind_sequence(session, "persons", newest - 1)

    raised = sequences.raise_sequences(session=session, marks=marks)

    assert raised == {"persons": marks["persons"]}
    assert add_person(session, "Uusi", "Tulija").id > newest


def test_raising_never_lowers_a_sequence_and_ignores_unknown_tables(session: Session) -> None:
    newest = add_person(session).id

    raised = sequences.raise_sequences(session=session, marks={"persons": 1, "no_such": 99})

    assert raised == {}
    assert add_person(session).id > newest
