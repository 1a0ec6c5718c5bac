"""The bot on its real HTTP server, talking to a Web API double instead of Slack."""

from collections.abc import Iterator

import pytest

from bot.app import create_app
from bot.runtime.settings import Settings
from bot.runtime.web import create_wsgi_app
from storage import staff
from storage.db import Database
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import ACK_BUDGET, RunningServer, SlackSender, make_settings


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
