"""Start-up serving many workspaces: Slack is checked without a bot token, the database acts for
no agency until a request names one, and no admin comes from the settings."""

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.runtime.startup import prepare
from storage.db import Database
from storage.models import Staff
from tests.databases import APP_ROLE, as_role, login_role
from tests.doubles.slack_web_api import SlackWebApiDouble


@pytest.fixture
def bot_url(backend: str, database: Database) -> Iterator[str]:
    """DATABASE_URL as a deployment for many workspaces must set it: on PostgreSQL a role that
    row-level security holds (start-up refuses any other)."""
    if backend == "sqlite":
        yield database.url
        return
    with login_role(member_of=APP_ROLE) as role:
        yield as_role(database.url, role)


def test_the_database_acts_for_no_agency_and_slack_is_checked_without_a_token(
    bot_url: str, database: Database, slack_api: SlackWebApiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "DATABASE_URL": bot_url,
        "SLACK_API_URL": slack_api.base_url,
        "SLACK_SIGNING_SECRET": "made-up-signing-secret",
        "SLACK_CLIENT_ID": "1234.5678",
        "SLACK_CLIENT_SECRET": "made-up-client-secret",
        "SLACK_STATE_SECRET": "made-up-state-secret",
        "ADMIN_USER_IDS": "UADMIN01",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    runtime = prepare(for_slack=True, migrate=False)
    try:
        assert runtime.database.agency is None
        assert [call.method for call in slack_api.calls] == ["api.test"]
    finally:
        runtime.database.dispose()
    with database.reading() as session:
        assert session.scalars(select(Staff.slack_user_id)).all() == []


def test_the_clock_needs_no_bot_token_of_its_own(
    bot_url: str, slack_api: SlackWebApiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each agency's jobs post with its installation's token (tests/bot/jobs/
    test_jobs_many_workspaces.py)."""
    for name, value in {
        "DATABASE_URL": bot_url,
        "SLACK_API_URL": slack_api.base_url,
        "SLACK_CLIENT_ID": "1234.5678",
        "SLACK_CLIENT_SECRET": "made-up-client-secret",
        "SLACK_STATE_SECRET": "made-up-state-secret",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    runtime = prepare(for_slack=False, migrate=False, for_jobs=True)
    runtime.database.dispose()
