"""Municipalities in one spelling, and the ones the person form offers as the advisor types."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from storage import reports
from storage.models.enums import Role
from storage.municipalities import (
    FINNISH_MUNICIPALITIES,
    known_municipalities,
    normalised_municipality,
)
from storage.persons import PersonFields
from tests.people import add_meeting, add_person, add_staff


@pytest.mark.parametrize(
    ("typed", "spelt"),
    [
        ("hämeenlinna", "Hämeenlinna"),
        ("  HÄMEENLINNA ", "Hämeenlinna"),
        ("mänttä - vilppula", "Mänttä-Vilppula"),
        ("Mariehamn", "Maarianhamina - Mariehamn"),
        ("pedersöre", "Pedersören kunta"),
        ("sankt  PETERSBURG", "Sankt Petersburg"),
        ("McAllen", "McAllen"),
        ("   ", None),
        (None, None),
    ],
)
def test_a_municipality_has_one_spelling(typed: str | None, spelt: str | None) -> None:
    assert normalised_municipality(typed) == spelt


def test_every_way_in_builds_the_fields_in_that_spelling() -> None:
    assert PersonFields("Testi", "Virtanen", municipality="espoo").municipality == "Espoo"


def test_the_official_names_are_each_their_own_spelling() -> None:
    assert all(normalised_municipality(name) == name for name in FINNISH_MUNICIPALITIES)


def test_the_known_ones_are_the_registers_and_finlands_beginnings_first(session: Session) -> None:
    add_person(session, municipality="Sankt Petersburg")
    add_person(session, municipality="Salaisenkylä", restricted=True)

    assert known_municipalities(session=session, typed="sa", most=100)[:6] == [
        "Saarijärvi",
        "Salla",
        "Salo",
        "Saltvik",
        "Sankt Petersburg",
        "Sastamala",
    ]
    assert "Salaisenkylä" not in known_municipalities(session=session, typed="sal", most=100)
    assert known_municipalities(session=session, typed="linna", most=3) == [
        "Hämeenlinna",
        "Savonlinna",
    ]
    assert len(known_municipalities(session=session, typed="a", most=100)) == 100


def test_a_report_counts_a_municipality_once_however_it_was_typed(session: Session) -> None:
    controller = add_staff(session, "UCONTROL1", Role.CONTROLLER)
    for typed in ("hämeenlinna", "Hämeenlinna", "HÄMEENLINNA", " hämeenlinna", "Hämeenlinna "):
        person = add_person(session, municipality=normalised_municipality(typed))
        add_meeting(session, person, controller, datetime(2026, 3, 2, 9, tzinfo=UTC))

    period = reports.Period(datetime(2026, 1, 1).date(), datetime(2026, 6, 30).date())
    report = reports.build_report(session=session, actor=controller, period=period)

    assert report.breakdowns["municipality"] == (reports.Row("Hämeenlinna", 5),)
