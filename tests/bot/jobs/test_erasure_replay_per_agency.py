"""The erasure ledger names each erasure's agency, and the replay applies each record in its own
agency; a line from before agencies is the first agency's."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.jobs.runner import run_job
from bot.runtime.erasure_ledger import parse_ledger
from bot.runtime.ledger_hook import keep_ledger
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import erasure
from storage.db import Database
from storage.models import Person
from storage.models.agency import THE_AGENCY, Agency
from storage.models.enums import Role
from tests.people import add_person, add_staff
from tests.restores import Saved, restore_from_before_the_erasure

OTHER = 2
NIGHT = datetime(2026, 11, 27, 2, 15, tzinfo=ZoneInfo("Europe/Helsinki"))


def erase_in_the_other_agency(database: Database, ledger: Path) -> Saved:
    keep_ledger(database, ledger)
    with database.transaction() as session:
        session.add(
            Agency(
                id=OTHER,
                slack_team_id="T0OTHER",
                name="Toinen keskus",
                timezone="America/New_York",  # its night's period: the day before Helsinki's
            )
        )
    with database.transaction(agency=OTHER) as session:
        controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
        person = add_person(session, "Palautuva", "Varmuuskopio")
        saved = Saved.of(person)
        erasure.erase(session=session, actor=controller, person_id=person.id, request_id=None)
    return saved


def test_a_ledger_line_names_the_erasures_agency(database: Database, ledger_path: Path) -> None:
    saved = erase_in_the_other_agency(database, ledger_path)

    (line,) = ledger_path.read_text().splitlines()

    assert json.loads(line)["agency_id"] == OTHER
    (record,) = parse_ledger([line])
    assert (record.person_id, record.agency_id) == (saved.id, OTHER)


def test_a_line_from_before_agencies_is_the_first_agencys() -> None:
    line = json.dumps(
        {
            "person_id": 7,
            "person_reference": "R-T0007",
            "erased_at": "2026-01-05T10:00:00+00:00",
            "high_water_marks": {"persons": 7},
        }
    )

    (record,) = parse_ledger([line])

    assert record.agency_id == THE_AGENCY


def test_the_replay_erases_again_in_the_erasures_own_agency(
    database: Database, settings: Settings, ledger_path: Path
) -> None:
    saved = erase_in_the_other_agency(database, ledger_path)
    with database.transaction(agency=OTHER) as session:
        restore_from_before_the_erasure(session, saved)
    client = build_web_client(settings)

    outcome = run_job(
        "erasure-replay",
        database=database,
        client=client,
        client_for=lambda agency: client,
        settings=settings,
        now=NIGHT,
    )

    first, other = outcome.agencies
    assert first.summary == "no erased person is back"
    assert other.summary.startswith(f"erased again: 1 person, ids {saved.id}")
    assert "1 erasure recorded from the ledger" in other.summary
    with database.reading(agency=OTHER) as session:
        assert session.get(Person, saved.id) is None
        (record,) = erasure.erasure_records(session=session)
        assert record.agency_id == OTHER
    with database.reading() as session:
        assert erasure.erasure_records(session=session) == []
    assert len(ledger_path.read_text().splitlines()) == 1
