"""Settings for the jobs' tests (the Slack double's Web API and the test's own database), and
the App in process for the listeners' tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import create_app
from bot.runtime.settings import Settings
from storage import staff
from storage.db import Database
from tests.bot.helpers.cli import Cli, run_cli
from tests.bot.helpers.jobs import job_settings
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import InProcessServer, SlackSender, make_settings


@pytest.fixture
def settings(database: Database, slack_api: SlackWebApiDouble) -> Settings:
    return job_settings(database, slack_api)


@pytest.fixture
def slack(database: Database, slack_api: SlackWebApiDouble) -> SlackSender:
    """What Slack sends, signed, dispatched into the App in process: a listener's tests without
    the HTTP server (tests/e2e keeps the endpoint's contract)."""
    app_settings = make_settings(database, slack_api)
    with database.transaction() as session:
        staff.ensure_admins(session=session, slack_user_ids=app_settings.admin_user_ids)
    app = create_app(app_settings, database, ack_budget=None)
    return SlackSender(InProcessServer(app), response_url=slack_api.url + "/response/T0TEST/1/abc")


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[Cli]:
    yield from run_cli(monkeypatch, tmp_path, capsys)
