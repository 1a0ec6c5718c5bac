"""Revision 0017 on a register where one municipality is spelt several ways: the spellings
become one, and a report then counts the municipality once."""

import uuid

from sqlalchemy import Uuid, bindparam, text

from storage.db import Database
from storage.migrate import upgrade

PERSON = text(
    "INSERT INTO persons (reference, person_key, first_name, last_name, municipality, source, "
    "restricted, created_at, updated_at, last_activity_at) VALUES (:reference, :key, 'Testi', "
    "'Virtanen', :municipality, 'person', false, '2026-11-01', '2026-11-01', '2026-11-01')"
).bindparams(bindparam("key", type_=Uuid()))
SPELT = {
    "R-2222A": "hämeenlinna",
    "R-2222B": "HÄMEENLINNA ",
    "R-2222C": "Hämeenlinna",
    "R-2222D": "mänttä - vilppula",
    "R-2222E": "sankt petersburg",
    "R-2222F": "Sankt Petersburg",
    "R-2222G": None,
    "R-2222H": "McAllen",
    "R-2222J": "mcallen",
    "R-2222K": "McAllen",
    "R-2222M": "   ",
}


def test_the_spellings_of_a_municipality_become_one(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0016")
    with empty_database.engine.begin() as connection:
        for reference, municipality in SPELT.items():
            row = {"reference": reference, "key": uuid.uuid4(), "municipality": municipality}
            connection.execute(PERSON, row)

    upgrade(empty_database.engine)

    with empty_database.engine.begin() as connection:
        rows = connection.execute(
            text("SELECT reference, municipality FROM persons ORDER BY reference")
        ).all()
    assert [tuple(row) for row in rows] == [
        ("R-2222A", "Hämeenlinna"),
        ("R-2222B", "Hämeenlinna"),
        ("R-2222C", "Hämeenlinna"),
        ("R-2222D", "Mänttä-Vilppula"),
        ("R-2222E", "Sankt Petersburg"),
        ("R-2222F", "Sankt Petersburg"),
        ("R-2222G", None),
        ("R-2222H", "McAllen"),
        ("R-2222J", "McAllen"),
        ("R-2222K", "McAllen"),
        ("R-2222M", None),
    ]
