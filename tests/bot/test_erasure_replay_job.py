"""`erasure-replay` through the job runner: a person restored from a backup is erased again."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.jobs.runner import run_job
from bot.settings import Settings
from bot.slack_client import build_web_client
from storage import erasure
from storage.db import Database
from storage.models import Person
from storage.models.enums import Role
from tests.people import add_person, add_staff

NIGHT = datetime(2026, 11, 27, 2, 15, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_a_restored_person_is_erased_again(database: Database, settings: Settings) -> None:
    with database.transaction() as session:
        controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
        person = add_person(session, "Palautuva", "Varmuuskopio")
        person_id, reference = person.id, person.reference
        erasure.erase(session=session, actor=controller, person_id=person_id, request_id=None)
    with database.transaction() as session:
        session.add(Person(id=person_id, reference=reference, first_name="P", last_name="V"))

    client = build_web_client(settings)
    first = run_job(
        "erasure-replay", database=database, client=client, settings=settings, now=NIGHT
    )
    again = run_job(
        "erasure-replay",
        database=database,
        client=client,
        settings=settings,
        now=NIGHT,
        force=True,
    )

    assert first.ran and first.summary == f"erased again: 1 persons, ids {person_id}"
    assert again.summary == "no erased person is back"
    with database.reading() as session:
        assert session.get(Person, person_id) is None
