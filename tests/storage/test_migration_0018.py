"""Revision 0018 adds the pairs of persons found not to be the same person: a pair goes with
either person, and going back removes the table."""

from alembic import command
from sqlalchemy import delete, inspect, select

from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import DistinctPerson, Person
from tests.people import add_person

TABLE = "distinct_persons"


def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_a_pair_goes_with_either_person_and_the_table_goes_back(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, "0017")
    assert TABLE not in inspect(empty_database.engine).get_table_names()

    upgrade(empty_database.engine)
    with empty_database.transaction() as session:
        first = add_person(session, "Testi", "Ensimmäinen")
        second = add_person(session, "Testi", "Toinen")
        session.add_all(
            [
                DistinctPerson(person_id=first.id, other_person_id=second.id),
                DistinctPerson(person_id=second.id, other_person_id=first.id),
            ]
        )
        session.flush()
        session.execute(delete(Person).where(Person.id == second.id))
        assert session.scalars(select(DistinctPerson)).all() == []

    downgrade(empty_database, "0017")
    assert TABLE not in inspect(empty_database.engine).get_table_names()
    upgrade(empty_database.engine)
    assert TABLE in inspect(empty_database.engine).get_table_names()
