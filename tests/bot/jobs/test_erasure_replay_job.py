"""`erasure-replay` through the job runner: it reads the erasure ledger, so a database restored
from an older backup is corrected on the next run, and it erases nobody but the erased."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.jobs.runner import run_job
from bot.runtime.ledger_hook import keep_ledger
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.runtime.startup import prepare
from storage import erasure
from storage.db import Database
from storage.models import Erasure, Person
from storage.models.enums import Role
from tests.people import add_person, add_staff
from tests.restores import (
    Saved,
    restore_from_before_the_erasure,
    restore_from_before_the_person,
)

NIGHT = datetime(2026, 11, 27, 2, 15, tzinfo=ZoneInfo("Europe/Helsinki"))


def erase_newest(database: Database, *, with_ledger: Path | None = None) -> Saved:
    """Adds a person and erases them, through sessions that keep the ledger if given."""
    if with_ledger is not None:
        keep_ledger(database, with_ledger)
    with database.transaction() as session:
        controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
        add_person(session, "Vanhempi", "Asiakas")
        person = add_person(session, "Palautuva", "Varmuuskopio")
        saved = Saved.of(person)
        erasure.erase(session=session, actor=controller, person_id=person.id, request_id=None)
    return saved


def replay(database: Database, settings: Settings, *, force: bool = False) -> str:
    client = build_web_client(settings)
    outcome = run_job(
        "erasure-replay",
        database=database,
        client=client,
        settings=settings,
        now=NIGHT,
        force=force,
    )
    assert outcome.ran
    return outcome.summary


def new_person_id(database: Database) -> int:
    with database.transaction() as session:
        return add_person(session, "Uusi", "Tulija").id


def test_a_restored_person_is_erased_again(
    database: Database, settings: Settings, ledger_path: Path
) -> None:
    saved = erase_newest(database, with_ledger=ledger_path)
    with database.transaction() as session:
        restore_from_before_the_erasure(session, saved)

    first = replay(database, settings)
    again = replay(database, settings, force=True)

    assert first.startswith(f"erased again: 1 person, ids {saved.id}")
    assert again == "no erased person is back"
    with database.reading() as session:
        assert session.get(Person, saved.id) is None
    assert new_person_id(database) > saved.id


def test_a_database_restored_from_before_the_erasure_is_corrected_from_the_ledger(
    database: Database, settings: Settings, ledger_path: Path
) -> None:
    saved = erase_newest(database, with_ledger=ledger_path)
    with database.transaction() as session:
        restore_from_before_the_erasure(session, saved)
        assert session.query(Erasure).count() == 0

    summary = replay(database, settings)

    assert "1 erasure recorded from the ledger" in summary
    with database.reading() as session:
        assert session.get(Person, saved.id) is None
        (record,) = erasure.erasure_records(session=session)
    assert (record.person_id, record.person_key) == (saved.id, saved.person_key)


def test_after_a_restore_from_before_the_person_a_new_person_gets_a_new_id(
    database: Database, settings: Settings, ledger_path: Path
) -> None:
    saved = erase_newest(database, with_ledger=ledger_path)
    with database.transaction() as session:
        restore_from_before_the_person(session, saved)

    replay(database, settings)

    assert new_person_id(database) > saved.id


def test_start_up_raises_the_id_sequences_to_the_ledgers_marks(
    database: Database, ledger_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = erase_newest(database, with_ledger=ledger_path)
    with database.transaction() as session:
        restore_from_before_the_person(session, saved)
    monkeypatch.setenv("DATABASE_URL", database.url)

    runtime = prepare(for_slack=False, migrate=False)
    runtime.database.dispose()

    assert new_person_id(database) > saved.id


def test_the_replay_leaves_alone_a_person_with_the_erased_id_and_another_key(
    database: Database, settings: Settings, ledger_path: Path
) -> None:
    saved = erase_newest(database, with_ledger=ledger_path)
    with database.transaction() as session:
        session.add(Person(id=saved.id, reference="R-OTHER", first_name="Uusi", last_name="T"))

    summary = replay(database, settings)

    assert f"left alone (the id is another person's now): ids {saved.id}" in summary
    with database.reading() as session:
        assert session.get(Person, saved.id) is not None


def test_an_erasure_the_ledger_missed_is_added_to_it(
    database: Database, settings: Settings, ledger_path: Path
) -> None:
    saved = erase_newest(database)  # committed, and the process died before the append
    assert not ledger_path.exists()

    summary = replay(database, settings)
    replay(database, settings, force=True)

    assert "1 erasure added to the ledger" in summary
    (line,) = ledger_path.read_text().splitlines()
    assert json.loads(line)["person_key"] == str(saved.person_key)
