"""The bot on its real HTTP server, talking to a Web API double instead of Slack."""

from collections.abc import Iterator

import pytest

from bot.app import create_app
from bot.runtime.settings import Settings
from bot.runtime.web import create_wsgi_app
from storage import staff
from storage.db import Database
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SIGNING_SECRET, RunningServer, SlackSender

ADMIN = "UADMIN01"
# Longer than any test's request on a loaded machine: Slack gets the listener's own answer, as
# it does in production within 2 s. tests/e2e/test_stalls.py tries the late answer.
ACK_BUDGET = 30.0


def make_settings(
    database: Database, slack_api: SlackWebApiDouble, **overrides: object
) -> Settings:
    values: dict[str, object] = dict(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.base_url,
        database_url=database.url,
        admin_user_ids=(ADMIN,),
        default_language="fi",
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.fixture
def settings(database: Database, slack_api: SlackWebApiDouble) -> Settings:
    return make_settings(database, slack_api)


@pytest.fixture
def server(settings: Settings, database: Database) -> Iterator[RunningServer]:
    with database.transaction() as session:
        staff.ensure_admins(session=session, slack_user_ids=settings.admin_user_ids)
    app = create_app(settings, database, ack_budget=ACK_BUDGET)
    running = RunningServer(create_wsgi_app(app, database))
    yield running
    running.close()


@pytest.fixture
def slack(server: RunningServer, slack_api: SlackWebApiDouble) -> SlackSender:
    return SlackSender(server, response_url=slack_api.url + "/response/T0TEST/1/abc")
