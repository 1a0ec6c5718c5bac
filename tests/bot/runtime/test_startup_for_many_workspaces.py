"""Start-up serving many workspaces: Slack is checked without a bot token, the database acts for
no agency until a request names one, and no admin comes from the settings."""

import pytest
from sqlalchemy import select

from bot.runtime.startup import prepare
from storage.db import Database
from storage.models import Staff
from tests.doubles.slack_web_api import SlackWebApiDouble


def test_the_database_acts_for_no_agency_and_slack_is_checked_without_a_token(
    database: Database, slack_api: SlackWebApiDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "DATABASE_URL": database.url,
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
