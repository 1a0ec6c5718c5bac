"""`python -m bot agencies`: the operator lists the agencies, exports the register of one that
left, and erases it on its controller's instruction; a restore from before the erasure is
corrected by the nightly replay, although the agency's workspace no longer has the bot."""

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import agencies, audit
from storage.db import Database
from storage.models import AuditEvent, Meeting, Person
from storage.models.enums import Role
from tests.bot.helpers.cli import Cli
from tests.databases import APP_ROLE, CHAIN_KEY, as_role, login_role
from tests.people import add_meeting, add_person, add_staff
from tests.restores import Saved, restore_from_before_the_erasure


def fill(database: Database, agency: int, surname: str) -> list[Saved]:
    with database.transaction(agency=agency) as session:
        controller = add_staff(session, f"UCTRL{agency}", Role.CONTROLLER)
        persons = [add_person(session, name, surname) for name in ("Testi", "Koe")]
        for person in persons:
            add_meeting(session, person, controller, person.created_at)
            audit.record(session=session, actor="UCTRL", action="person.view", person_id=person.id)
        return [Saved.of(person) for person in persons]


def persons(database: Database, agency: int) -> int:
    with database.reading(agency=agency) as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def uninstall(database: Database) -> None:
    with database.transaction(agency=None) as session:
        agencies.uninstall(session=session, team_id="T0OTHER")


@pytest.fixture
def env(database: Database) -> dict[str, str]:
    return {"DATABASE_URL": database.url, "AUDIT_CHAIN_KEY": CHAIN_KEY.decode()}


def test_the_operator_exports_then_erases_the_register_of_an_agency_that_left(
    cli: Cli,
    database: Database,
    other_agency: int,
    env: dict[str, str],
    ledger_path: Path,
    tmp_path: Path,
) -> None:
    fill(database, 1, "Ensimmäinen")
    leaving = fill(database, other_agency, "Toinen")
    other = str(other_agency)

    listed = cli("agencies", "list", **env)
    assert listed.returncode == 0
    assert "1: the single workspace (installed): 2 persons, 2 meetings" in listed.stdout
    assert f"{other}: T0OTHER Toinen yrityskeskus (installed): 2 persons" in listed.stdout

    exported = cli("agencies", "export", other, "agency.zip", **env)
    assert exported.returncode == 0, exported.stderr
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "agency.zip").read_bytes()))
    names = archive.read("persons.csv").decode("utf-8-sig")
    assert "Toinen" in names and "Ensimmäinen" not in names
    assert (tmp_path / "agency.zip").stat().st_mode & 0o077 == 0
    assert cli("agencies", "export", other, "agency.zip", **env).returncode == 2
    assert cli("agencies", "export", "9", "nine.zip", **env).returncode == 2

    wrong = cli("agencies", "erase", other, "--confirm", "T0WRONG", **env)
    still_installed = cli("agencies", "erase", other, "--confirm", "T0OTHER", **env)
    assert wrong.returncode == 2 and "Nothing was erased" in wrong.stderr
    assert still_installed.returncode == 2 and "still installed" in still_installed.stderr
    assert persons(database, other_agency) == 2

    uninstall(database)
    erased = cli("agencies", "erase", other, "--confirm", "T0OTHER", **env)

    assert erased.returncode == 0, erased.stderr
    assert "register erased, 2 persons recorded as erased" in erased.stdout
    assert persons(database, other_agency) == 0 and persons(database, 1) == 2
    ledger = ledger_path.read_text()
    assert all(str(saved.person_key) in ledger for saved in leaving)
    assert "register erased" in cli("agencies", "list", **env).stdout
    with database.reading(agency=1) as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 2


def test_a_restore_brings_back_an_erased_agencys_persons_and_the_replay_erases_them_again(
    cli: Cli,
    database: Database,
    other_agency: int,
    env: dict[str, str],
) -> None:
    leaving = fill(database, other_agency, "Toinen")
    uninstall(database)
    erased = cli("agencies", "erase", str(other_agency), "--confirm", "T0OTHER", **env)
    assert erased.returncode == 0, erased.stderr
    with database.transaction(agency=other_agency) as session:
        restore_from_before_the_erasure(session, leaving[-1])
    assert persons(database, other_agency) == 1

    replayed = cli("jobs", "run", "erasure-replay", SLACK_BOT_TOKEN="xoxb-x", **env)

    assert replayed.returncode == 0, replayed.stderr
    assert f"erased again: 1 person, ids {leaving[-1].id}" in replayed.stdout
    assert persons(database, other_agency) == 0


@pytest.fixture
def as_bot(backend: str, database: Database) -> Iterator[str]:
    if backend != "postgresql":
        pytest.skip("SQLite has no roles")
    with login_role(member_of=APP_ROLE) as role:
        yield as_role(database.url, role)


def test_on_postgresql_the_erasure_runs_as_the_owner_and_the_bot_role_alone_is_refused(
    cli: Cli,
    database: Database,
    other_agency: int,
    env: dict[str, str],
    as_bot: str,
) -> None:
    fill(database, other_agency, "Toinen")
    uninstall(database)
    erase = ("agencies", "erase", str(other_agency), "--confirm", "T0OTHER")

    alone = cli(*erase, **{**env, "DATABASE_URL": as_bot})
    assert alone.returncode == 1 and "DATABASE_OWNER_URL" in alone.stderr
    assert persons(database, other_agency) == 2

    owned = cli(*erase, **{**env, "DATABASE_URL": as_bot, "DATABASE_OWNER_URL": database.url})
    assert owned.returncode == 0, owned.stderr
    assert persons(database, other_agency) == 0
    with database.reading(agency=other_agency) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert actions == {"audit.prune", "register.erase"}
