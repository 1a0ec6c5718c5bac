"""What every process does first: settings, logging, the database, the erasure ledger and the
id sequences' marks, the first admins."""

import logging
from dataclasses import dataclass

from sqlalchemy import make_url

from bot.runtime.audit_key import ChainKeyError, chain_key
from bot.runtime.high_water_marks import raise_to_recorded_marks
from bot.runtime.ledger_hook import keep_ledger
from bot.runtime.settings import Settings, SettingsError, load_settings
from storage import audit
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


def upgrade_database(settings: Settings | None = None) -> None:
    """Migrates as the role that owns the tables (DATABASE_OWNER_URL)."""
    settings = settings or settings_or_stop()
    warn_without_owner(settings)
    owner = Database(settings.migration_url)
    try:
        upgrade(owner.engine)
    finally:
        owner.dispose()


def warn_without_owner(settings: Settings) -> None:
    """On PostgreSQL the bot's role should own nothing; SQLite has no roles to tell apart."""
    if settings.database_owner_url is None and not _is_sqlite(settings.database_url):
        logger.warning(
            "DATABASE_OWNER_URL is not set: migrations run as DATABASE_URL's role, so the bot's "
            "role owns the tables and could change the audit trail "
            "(docs/operations.md: Database roles)."
        )


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def open_database(settings: Settings) -> Database:
    """The bot's database, as DATABASE_URL's role, with the audit trail's key on every session."""
    try:
        key = chain_key(settings)
    except ChainKeyError as error:
        raise StartupError(str(error)) from None
    return Database(
        settings.database_url,
        audit_chain_key=key,
        statement_timeout_ms=settings.database_statement_timeout_ms,
    )


def check_chain_key(database: Database) -> None:
    with database.reading() as session:
        sealed = audit.sealed_by_session_key(session=session)
    if sealed is False:
        logger.error(
            "The audit trail's newest events were sealed with another key than this one "
            "(AUDIT_CHAIN_KEY, or the key file beside the erasure ledger): the check reports "
            "them as unverifiable until the key they were sealed with is back."
        )


def prepare(*, for_slack: bool, migrate: bool, for_jobs: bool = False) -> Runtime:
    settings = settings_or_stop()
    if for_slack and (missing := settings.missing_for_slack()):
        raise StartupError(
            f"Cannot serve Slack: missing {', '.join(missing)}.\n\n{SLACK_SETUP_HELP}"
        )
    if for_jobs and not settings.slack_bot_token:
        raise StartupError(f"Jobs post to Slack: missing SLACK_BOT_TOKEN.\n\n{SLACK_SETUP_HELP}")
    if migrate:
        upgrade_database(settings)
    else:
        warn_without_owner(settings)
    database = open_database(settings)
    if not migrate and not is_up_to_date(database.engine):
        raise StartupError("The database schema is behind: run `python -m bot db upgrade`.")
    keep_ledger(database, settings.erasure_ledger_path)
    raise_to_recorded_marks(database, settings.erasure_ledger_path.parent)
    check_chain_key(database)
    with database.transaction() as session:
        created = staff_store.ensure_admins(session=session, slack_user_ids=settings.admin_user_ids)
    if created:
        logger.info("Created %d admin(s) from ADMIN_USER_IDS", len(created))
    return Runtime(settings=settings, database=database)
