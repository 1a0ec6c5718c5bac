"""Settings for a job's run: the Slack double's Web API and the test's own database."""

from bot.runtime.settings import Settings
from storage.db import Database
from tests.doubles.slack_web_api import SlackWebApiDouble


def job_settings(database: Database, slack_api: SlackWebApiDouble, **overrides: object) -> Settings:
    values: dict[str, object] = dict(
        slack_bot_token="xoxb-test", slack_api_url=slack_api.base_url, database_url=database.url
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]
