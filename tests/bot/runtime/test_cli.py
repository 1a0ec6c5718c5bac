"""The processes of DESIGN.md, run as an operator runs them: `python -m bot` once as a process,
the rest through the same `main` in this process."""

from pathlib import Path

import pytest

from bot.runtime.ledger_hook import keep_ledger
from storage.db import Database
from storage.erasure import erase, erasure_records
from storage.models import Person
from storage.models.agency import Agency
from storage.models.enums import Role
from tests.bot.helpers.cli import Cli
from tests.bot.helpers.processes import run_bot
from tests.databases import CHAIN_KEY
from tests.people import add_person, add_staff
from tests.restores import Saved, restore_from_before_the_erasure


def test_without_slack_credentials_start_up_names_them_and_says_how(tmp_path: Path) -> None:
    result = run_bot(cwd=tmp_path)
    assert result.returncode == 2
    assert "missing SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET" in result.stderr
    assert "manifest.json" in result.stderr and "Socket Mode" in result.stderr


def test_socket_mode_needs_no_signing_secret(cli: Cli) -> None:
    result = cli(SLACK_APP_TOKEN="xapp-1-test")
    assert result.returncode == 2
    assert "missing SLACK_BOT_TOKEN." in result.stderr


def test_a_malformed_setting_stops_start_up_naming_it(cli: Cli) -> None:
    result = cli(PORT="eighty", SLACK_BOT_TOKEN="xoxb-x")
    assert result.returncode == 2
    assert "PORT" in result.stderr and "Traceback" not in result.stderr


def test_db_upgrade_then_jobs_run_once_per_period(cli: Cli, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'register.db'}", "SLACK_BOT_TOKEN": "xoxb-x"}

    upgraded = cli("db", "upgrade", **env)
    first = cli("jobs", "run", "audit-verify", **env)
    second = cli("jobs", "run", "audit-verify", **env)
    forced = cli("jobs", "run", "audit-verify", "--force", **env)
    unknown = cli("jobs", "run", "no-such-job", **env)

    assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    assert first.returncode == 0 and "audit-verify ran for" in first.stdout
    assert second.returncode == 0 and "already ran" in second.stdout and "--force" in second.stdout
    assert forced.returncode == 0 and "audit-verify ran for" in forced.stdout
    assert unknown.returncode == 2 and "audit-verify" in unknown.stderr


@pytest.mark.parametrize("command", [("clock",), ("jobs", "run", "follow-ups")])
def test_jobs_without_a_bot_token_refuse_and_point_to_the_console(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    result = run_bot(*command, cwd=tmp_path)

    assert result.returncode == 2
    first_line = result.stderr.splitlines()[0]
    assert "missing SLACK_BOT_TOKEN" in first_line
    assert "`python -m bot console`, then `/jobs run NAME`" in first_line
    assert "manifest.json" in result.stderr and "Traceback" not in result.stderr


def test_jobs_list_says_each_schedule_as_a_person_reads_it(tmp_path: Path) -> None:
    result = run_bot("jobs", "list", cwd=tmp_path, TIMEZONE="Europe/Helsinki")

    assert result.returncode == 0, result.stderr
    schedules = dict(
        (line.split(":", 1)[0], line.rsplit(" (", 1)[1].rstrip(")"))
        for line in result.stdout.splitlines()
    )
    assert schedules["audit-verify"] == "daily at 02:30 Europe/Helsinki"
    assert schedules["retention-review"] == "Mondays at 08:00 Europe/Helsinki"
    assert schedules["outbox-delivery"] == "every minute"
    assert "cron" not in result.stdout and "{" not in result.stdout


def test_jobs_refuse_a_database_behind_its_migrations(cli: Cli, tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}", "SLACK_BOT_TOKEN": "xoxb-x"}
    result = cli("jobs", "run", "audit-verify", **env)
    assert result.returncode == 2 and "python -m bot db upgrade" in result.stderr


def test_erasures_export_and_import_replay_a_ledger_kept_elsewhere(
    cli: Cli, database: Database, ledger_path: Path, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": database.url, "AUDIT_CHAIN_KEY": CHAIN_KEY.decode()}
    saved = erase_one(database)  # not through the bot: its own ledger knows nothing of it

    exported = cli("erasures", "export", **env)
    (tmp_path / "elsewhere.jsonl").write_text(exported.stdout)
    with database.transaction() as session:
        restore_from_before_the_erasure(session, saved)
    imported = cli("erasures", "import", "elsewhere.jsonl", **env)

    assert exported.returncode == 0 and f'"person_id": {saved.id}' in exported.stdout
    assert "Palautettu" not in exported.stdout and "Varmuuskopio" not in exported.stdout
    assert imported.returncode == 0, imported.stderr
    assert "1 erasure record added; 1 person erased again." in imported.stdout
    with database.transaction() as session:
        assert session.get(Person, saved.id) is None
    assert str(saved.person_key) in ledger_path.read_text()


def test_one_replay_job_corrects_a_restore_from_before_an_erasure_with_no_other_step(
    cli: Cli, database: Database, ledger_path: Path
) -> None:
    env = {
        "DATABASE_URL": database.url,
        "SLACK_BOT_TOKEN": "xoxb-x",
        "AUDIT_CHAIN_KEY": CHAIN_KEY.decode(),
    }
    keep_ledger(database, ledger_path)  # as every process of the bot does
    saved = erase_one(database)
    with database.transaction() as session:
        restore_from_before_the_erasure(session, saved)

    replayed = cli("jobs", "run", "erasure-replay", **env)

    assert replayed.returncode == 0, replayed.stderr
    assert f"erased again: 1 person, ids {saved.id}" in replayed.stdout
    with database.transaction() as session:
        assert session.get(Person, saved.id) is None
        assert [r.person_key for r in erasure_records(session=session)] == [saved.person_key]
        assert add_person(session, "Uusi", "Tulija").id > saved.id


def erase_one(database: Database) -> Saved:
    with database.transaction() as session:
        controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
        person = add_person(session, "Palautettu", "Varmuuskopio")
        saved = Saved.of(person)
        erase(session=session, actor=controller, person_id=person.id, request_id=None)
    return saved


def test_jobs_run_for_one_agency_names_it(cli: Cli, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    # 25 hours apart: the two agencies' days are never the same day.
    env = {"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-x", "TIMEZONE": "Pacific/Pago_Pago"}
    cli("db", "upgrade", **env)
    database = Database(url)
    with database.transaction() as session:
        session.add(
            Agency(id=2, slack_team_id="T0OTHER", name="Toinen", timezone="Pacific/Kiritimati")
        )
    database.dispose()

    one = cli("jobs", "run", "record-retention", "--agency", "2", **env)
    every = cli("jobs", "run", "record-retention", **env)
    unknown = cli("jobs", "run", "record-retention", "--agency", "9", **env)

    assert one.returncode == 0 and one.stdout.startswith("record-retention ran for")
    lines = every.stdout.splitlines()
    assert every.returncode == 0 and len(lines) == 2
    assert lines[0].startswith("record-retention (agency 1) ran for")
    assert lines[1].startswith("record-retention (agency 2) already ran for")
    assert unknown.returncode == 2 and "No agency 9 at work" in unknown.stderr
