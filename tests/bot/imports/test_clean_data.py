"""`python -m bot import persons FILE` keeps the register clean as the form does: one spelling
per municipality, a plausible date of birth, and a consent with every relationship on consent;
on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from storage.db import Database
from storage.models import Consent, Person
from storage.models.enums import ConsentPurpose
from tests.bot.helpers.import_cli import Cli, report

PERSONS = (
    "first_name;last_name;birth_date;municipality;relationship_kind;legal_basis;"
    "consent_purpose;consent_given_on\r\n"
    "Testi;Virtanen;1.7.1979;hämeenlinna;asiakas;sopimus;;\r\n"
    "Kaisa;Kokeilu;1.7.1980;HÄMEENLINNA ;jäsen;suostumus;markkinointi;3.4.2025\r\n"
    "Matti;Meikäläinen;1.1.1900;Espoo;customer;contract;;\r\n"
    "Pekka;Puuttuva;1.7.1981;Espoo;customer;consent;;\r\n"
    "Liisa;Puolikas;1.7.1982;Espoo;customer;contract;marketing;\r\n"
)


def test_an_import_spells_municipalities_alike_and_refuses_what_the_form_refuses(
    cli: Cli, database: Database, tmp_path: Path
) -> None:
    (tmp_path / "rekisteri.csv").write_text(PERSONS, encoding="utf-8")

    ran = cli("import", "persons", "rekisteri.csv", "--language", "en")

    assert ran.returncode == 0, ran.stderr
    assert report(tmp_path / "rekisteri.report.csv")[1:] == [
        [
            "4",
            "refused",
            "birth_date",
            "A date of birth must be less than 120 years ago; check the year.",
        ],
        [
            "5",
            "refused",
            "consent_purpose",
            "The legal basis is consent: choose what the person consented to, and give the date "
            "below.",
        ],
        ["6", "refused", "consent_given_on", "Give the date the consent was given."],
    ]
    with database.reading() as session:
        persons = session.scalars(select(Person).order_by(Person.last_name)).all()
        assert [(p.last_name, p.municipality) for p in persons] == [
            ("Kokeilu", "Hämeenlinna"),
            ("Virtanen", "Hämeenlinna"),
        ]
        consents = session.execute(select(Consent.person_id, Consent.purpose, Consent.given_at))
        assert [tuple(row) for row in consents] == [
            (persons[0].id, ConsentPurpose.MARKETING, datetime(2025, 4, 3, tzinfo=UTC))
        ]


def test_the_refusals_speak_finnish_too(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "rekisteri.csv").write_text(PERSONS, encoding="utf-8")

    ran = cli("import", "persons", "rekisteri.csv", "--language", "fi")

    assert ran.returncode == 0, ran.stderr
    reasons = [line[3] for line in report(tmp_path / "rekisteri.report.csv")[1:]]
    assert reasons[0] == "Syntymäajasta on oltava alle 120 vuotta; tarkista vuosi."
    assert reasons[1].startswith("Käsittelyperuste on suostumus")
