"""What stops `python -m bot` at start, in each of its commands, as a process: a malformed
DATABASE_URL, a database that cannot be reached, a Slack that cannot be reached or refuses the
token. Each ends in one line that names the setting and says what to do, exit status non-zero,
never a traceback."""

from pathlib import Path

import pytest

from storage.db import Database
from tests.bot.helpers.processes import run_bot, the_line_it_stopped_with, unused_port
from tests.databases import CHAIN_KEY
from tests.doubles.slack_web_api import SlackWebApiDouble

SLACK_HTTP = {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": "made-up-secret"}
# Every command that opens the database, as the operator types it after `python -m bot`.
COMMANDS = {
    "serve": (),
    "console": ("console",),
    "clock": ("clock",),
    "jobs run": ("jobs", "run", "audit-verify"),
    "db upgrade": ("db", "upgrade"),
    "import": ("import", "persons", "-"),
    "erasures export": ("erasures", "export"),
}


def stopped_with(result) -> str:  # type: ignore[no-untyped-def]
    return the_line_it_stopped_with(result.returncode, result.stderr + result.stdout)


@pytest.fixture
def slack(slack_api: SlackWebApiDouble) -> dict[str, str]:
    """Slack's Web API as the double answers it, with a bot token it takes."""
    return SLACK_HTTP | {"SLACK_API_URL": slack_api.base_url}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_postgres_scheme_stops_every_command_naming_the_setting_and_the_form(
    command: str, tmp_path: Path
) -> None:
    result = run_bot(
        *COMMANDS[command],
        cwd=tmp_path,
        DATABASE_URL="postgres://register:made-up-password@127.0.0.1/register",
        **SLACK_HTTP,
    )

    line = stopped_with(result)
    assert line.startswith("Invalid setting DATABASE_URL: postgres:// is no scheme"), line
    assert "postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE" in line
    assert "made-up-password" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url", "not a database URL"),
        ("mysql://register@127.0.0.1/register", "mysql:// is not a database the bot runs on"),
        ("postgresql+psycopg2://register@127.0.0.1/register", "needs a driver not installed"),
    ],
)
def test_a_malformed_database_url_says_how_to_write_it(url: str, said: str, tmp_path: Path) -> None:
    result = run_bot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url)

    line = stopped_with(result)
    assert line.startswith("Invalid setting DATABASE_URL:") and said in line, line
    assert "sqlite:///PATH/TO/FILE.db" in line


def unreachable_url(backend: str, tmp_path: Path) -> str:
    """PostgreSQL on a port nothing listens on; SQLite on a folder, which it cannot open."""
    if backend == "postgresql":
        return f"postgresql+psycopg://register:made-up-password@127.0.0.1:{unused_port()}/register"
    return f"sqlite:///{tmp_path}"


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_out_of_reach_stops_every_command_naming_the_setting(
    command: str, backend: str, slack: dict[str, str], tmp_path: Path
) -> None:
    url = unreachable_url(backend, tmp_path)

    result = run_bot(*COMMANDS[command], cwd=tmp_path, DATABASE_URL=url, **slack)

    line = stopped_with(result)
    assert line.startswith("Cannot open the database DATABASE_URL names"), line
    assert line.endswith("or correct DATABASE_URL."), line
    if backend == "postgresql":
        assert "Connection refused" in line and "the server runs there" in line
    else:
        assert "unable to open database file" in line and "folder exists" in line
    assert "made-up-password" not in result.stderr + result.stdout


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_python_m_bot_at_a_terminal_without_slack_names_the_database_out_of_reach(
    backend: str, tmp_path: Path
) -> None:
    """`make run` on a fresh machine: no Slack credentials, so the console, on a database that
    cannot be opened."""
    url = unreachable_url(backend, tmp_path)

    result = run_bot(cwd=tmp_path, at_a_terminal=True, DATABASE_URL=url)

    assert "starting the terminal console instead" in result.stdout
    line = the_line_it_stopped_with(result.returncode, result.stderr)
    assert line.startswith("Cannot open the database DATABASE_URL names"), line


def test_db_upgrade_names_the_owner_s_setting_when_the_owner_is_out_of_reach(
    database: Database, tmp_path: Path
) -> None:
    owner = f"postgresql+psycopg://owner@127.0.0.1:{unused_port()}/register"

    result = run_bot(
        "db", "upgrade", cwd=tmp_path, DATABASE_URL=database.url, DATABASE_OWNER_URL=owner
    )

    line = stopped_with(result)
    assert line.startswith("Cannot open the database DATABASE_OWNER_URL names"), line


@pytest.mark.parametrize(
    "mode",
    [
        {"SLACK_SIGNING_SECRET": "made-up-secret"},  # HTTP
        {"SLACK_APP_TOKEN": "xapp-1-test"},  # Socket Mode
    ],
    ids=["http", "socket-mode"],
)
def test_a_slack_out_of_reach_stops_serving_naming_the_setting(
    mode: dict[str, str], tmp_path: Path
) -> None:
    api_url = f"http://127.0.0.1:{unused_port()}/api/"

    result = run_bot(cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_API_URL=api_url, **mode)

    line = stopped_with(result)
    assert line.startswith(f"Cannot reach Slack's Web API at SLACK_API_URL ({api_url})"), line
    assert "Connection refused" in line and "correct SLACK_API_URL" in line
    assert "slack_sdk" not in result.stderr  # its tries and retries are not logged one by one


@pytest.mark.parametrize(
    ("method", "setting", "mode"),
    [
        ("auth.test", "SLACK_BOT_TOKEN", {"SLACK_SIGNING_SECRET": "made-up-secret"}),
        ("apps.connections.open", "SLACK_APP_TOKEN", {"SLACK_APP_TOKEN": "xapp-1-test"}),
    ],
)
def test_a_token_slack_refuses_stops_serving_naming_it(
    method: str,
    setting: str,
    mode: dict[str, str],
    slack_api: SlackWebApiDouble,
    tmp_path: Path,
) -> None:
    slack_api.inject(method, status=200, error="invalid_auth")

    result = run_bot(
        cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_API_URL=slack_api.base_url, **mode
    )

    line = stopped_with(result)
    assert line.startswith(f"Slack refused {setting} (invalid_auth)"), line


def test_jobs_run_needs_no_slack_at_hand_its_messages_wait_in_the_outbox(
    database: Database, tmp_path: Path
) -> None:
    result = run_bot(
        "jobs",
        "run",
        "audit-verify",
        cwd=tmp_path,
        DATABASE_URL=database.url,
        AUDIT_CHAIN_KEY=CHAIN_KEY.decode(),
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_API_URL=f"http://127.0.0.1:{unused_port()}/api/",
    )

    assert result.returncode == 0, result.stderr
    assert "audit-verify ran for" in result.stdout
    assert "Traceback" not in result.stderr
