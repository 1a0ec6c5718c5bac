"""What every serving process does first: settings, logging, the database, the first admins."""

import logging
from dataclasses import dataclass

from bot.settings import Settings, SettingsError, load_settings
from storage import staff as staff_store
from storage.db import Database
from storage.migrate import is_up_to_date, upgrade

logger = logging.getLogger(__name__)

SLACK_SETUP_HELP = """\
Create the Slack app from the manifest in this repository:
  1. https://api.slack.com/apps -> Create New App -> From an app manifest -> paste manifest.json.
  2. HTTP mode: replace https://register.example.org in the manifest with this server's public
     URL, install the app, then set SLACK_BOT_TOKEN (Bot User OAuth Token, xoxb-...) and
     SLACK_SIGNING_SECRET (Basic Information -> App Credentials).
  3. Socket Mode (no public URL needed): set "socket_mode_enabled": true in the manifest,
     create an app-level token with the connections:write scope, and set SLACK_BOT_TOKEN and
     SLACK_APP_TOKEN (xapp-...).
Put them in the environment or in .env (see .env.example)."""


class StartupError(Exception):
    """Start-up stops with this message; the process exits non-zero."""


@dataclass
class Runtime:
    settings: Settings
    database: Database


def settings_or_stop() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise StartupError(str(error)) from None


def upgrade_database() -> None:
    database = Database(settings_or_stop().database_url)
    try:
        upgrade(database.engine)
    finally:
        database.dispose()


def prepare(*, for_slack: bool, migrate: bool, for_jobs: bool = False) -> Runtime:
    settings = settings_or_stop()
    if for_slack and (missing := settings.missing_for_slack()):
        raise StartupError(
            f"Cannot serve Slack: missing {', '.join(missing)}.\n\n{SLACK_SETUP_HELP}"
        )
    if for_jobs and not settings.slack_bot_token:
        raise StartupError(f"Jobs post to Slack: missing SLACK_BOT_TOKEN.\n\n{SLACK_SETUP_HELP}")
    database = Database(
        settings.database_url, statement_timeout_ms=settings.database_statement_timeout_ms
    )
    if migrate:
        upgrade(database.engine)
    elif not is_up_to_date(database.engine):
        raise StartupError("The database schema is behind: run `python -m bot db upgrade`.")
    with database.transaction() as session:
        created = staff_store.ensure_admins(session=session, slack_user_ids=settings.admin_user_ids)
    if created:
        logger.info("Created %d admin(s) from ADMIN_USER_IDS", len(created))
    return Runtime(settings=settings, database=database)
