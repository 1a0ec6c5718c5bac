"""What every process does first: settings, logging, Slack, the database, the erasure ledger
and the id sequences' marks, the first admins.

Whatever stops a process at start (a setting missing or malformed, a database or Slack that
cannot be reached) is raised here as a StartupError: one line that names the setting and says
what to do, which the process prints instead of a traceback before it exits non-zero.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import make_url
from sqlalchemy.exc import DBAPIError

from bot.runtime.audit_key import ChainKeyError, chain_key
from bot.runtime.high_water_marks import raise_to_recorded_marks
from bot.runtime.ledger_hook import keep_ledger
from bot.runtime.settings import Settings, SettingsError, load_settings
from bot.runtime.slack_client import build_web_client
from storage import agency_settings, audit
from storage import staff as staff_store
from storage.agencies import THE_AGENCY
from storage.db import Database
from storage.migrate import is_up_to_date, upgrade
from storage.row_level_security import role_faults

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


JOBS_WITHOUT_SLACK = (
    "Jobs post to Slack: missing SLACK_BOT_TOKEN. Without Slack, run a job in the console, "
    "which prints what it would post: `python -m bot console`, then `/jobs run NAME`."
)


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
    setting = "DATABASE_OWNER_URL" if settings.database_owner_url else "DATABASE_URL"
    owner = reachable_database(settings.migration_url, setting)
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


def bot_role_problem(database: Database) -> str | None:
    """One line on what lets DATABASE_URL's role past the wall between agencies, and what to do
    about it; None when nothing does (and always on SQLite)."""
    if database.backend != "postgresql":
        return None
    with database.reading() as session:
        faults = role_faults(session=session)
    if not faults:
        return None
    *others, last = faults
    listed = f"{', '.join(others)} and {last}" if others else last
    return (
        f"DATABASE_URL's role {listed}, so row-level security does not hold it: "
        "connect as a login role in register_app that owns nothing, and migrate with "
        "DATABASE_OWNER_URL (docs/operations.md: Database roles)."
    )


def check_bot_role(database: Database, *, many_workspaces: bool) -> None:
    """Serving many workspaces, a role that row-level security does not hold stops start-up:
    the database is the second wall between agencies. Serving one, it is a warning."""
    if problem := bot_role_problem(database):
        if many_workspaces:
            database.dispose()
            raise StartupError(problem)
        logger.warning(problem)


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def open_database(settings: Settings) -> Database:
    """The bot's database, as DATABASE_URL's role, with the audit trail's key on every session."""
    try:
        key = chain_key(settings)
    except ChainKeyError as error:
        raise StartupError(str(error)) from None
    return reachable_database(
        settings.database_url,
        "DATABASE_URL",
        audit_chain_key=key,
        statement_timeout_ms=settings.database_statement_timeout_ms,
        # Serving many workspaces, nothing acts for an agency unless a request's team names it.
        agency=None if settings.multi_workspace else THE_AGENCY,
    )


def reachable_database(url: str, setting: str, **options: Any) -> Database:
    """The database `setting` names, once it has answered; the line that stops start-up when
    it cannot be opened says where it was looked for, never with the password."""
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        database = Database(url, **options)
    except OSError as error:  # SQLite's folder, or its writers' lock file, cannot be made
        reason = f"{error.strerror or type(error).__name__}: {error.filename}"
        raise StartupError(_unreachable(setting, shown, reason)) from None
    try:
        with database.engine.connect():
            pass
    except DBAPIError as error:
        database.dispose()
        reason = next(iter(str(error.orig).strip().splitlines()), type(error.orig).__name__)
        raise StartupError(_unreachable(setting, shown, reason)) from None
    return database


def _unreachable(setting: str, shown: str, reason: str) -> str:
    check = (
        "that its folder exists and can be written"
        if _is_sqlite(shown)
        else "that the server runs there and takes this user and password"
    )
    return (
        f"Cannot open the database {setting} names ({shown}): {reason}. "
        f"Check {check}, or correct {setting}."
    )


# Slack's answers to a token it does not take, and to a call without one.
_REFUSED_TOKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
    }
)


def check_slack(settings: Settings) -> None:
    """Slack's Web API answers and takes the bot's token (and the app-level one in Socket
    Mode), before a process starts serving it."""
    client = build_web_client(settings)
    calls: list[tuple[str, Callable[[], object]]] = [("SLACK_BOT_TOKEN", client.auth_test)]
    if settings.multi_workspace:  # each workspace's token comes with its installation
        calls = [("SLACK_API_URL", lambda: client.api_test())]
    if settings.slack_app_token:
        app_token = settings.slack_app_token
        calls.append(("SLACK_APP_TOKEN", lambda: client.apps_connections_open(app_token=app_token)))
    for setting, call in calls:
        try:
            with _slack_sdk_quiet():
                call()
        except SlackApiError as error:
            code = error.response.get("error") if error.response else None
            if code in _REFUSED_TOKEN:
                raise StartupError(
                    f"Slack refused {setting} ({code}): copy the token from the app's settings "
                    f"at https://api.slack.com/apps again (docs/operations.md: Slack setup)."
                ) from None
            raise StartupError(
                f"Slack's Web API at SLACK_API_URL ({settings.slack_api_url}) answered "
                f"{code or 'with an error'}: try again later, or correct SLACK_API_URL."
            ) from None
        except OSError as error:  # refused, unresolved, timed out: urllib's URLError and kin
            reason = getattr(error, "reason", None) or error
            raise StartupError(
                f"Cannot reach Slack's Web API at SLACK_API_URL ({settings.slack_api_url}): "
                f"{reason}. Check the network, or correct SLACK_API_URL (unset: Slack's own)."
            ) from None


@contextmanager
def _slack_sdk_quiet() -> Iterator[None]:
    """The Web API client logs each failed try and each retry at ERROR and INFO; at start its
    outcome is said in one line instead."""
    client_logger = logging.getLogger("slack_sdk")
    level = client_logger.level
    client_logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        client_logger.setLevel(level)


def check_chain_key(database: Database) -> None:
    """Whether each agency's chain was last sealed with this key."""
    with database.reading(agency=None) as session:
        every = agency_settings.every_agency(session=session)
    for agency in every:
        with database.reading(agency=agency) as session:
            sealed = audit.sealed_by_session_key(session=session)
        if sealed is False:
            logger.error(
                "The audit trail's newest events of agency %d were sealed with another key "
                "than this one (AUDIT_CHAIN_KEY, or the key file beside the erasure ledger): "
                "the check reports them as unverifiable until the key they were sealed with is "
                "back.",
                agency,
            )


def prepare(*, for_slack: bool, migrate: bool, for_jobs: bool = False) -> Runtime:
    settings = settings_or_stop()
    if for_slack and (missing := settings.missing_for_slack()):
        raise StartupError(
            f"Cannot serve Slack: missing {', '.join(missing)}.\n\n{SLACK_SETUP_HELP}"
        )
    if for_jobs and not (settings.slack_bot_token or settings.multi_workspace):
        raise StartupError(f"{JOBS_WITHOUT_SLACK}\n\n{SLACK_SETUP_HELP}")
    if for_slack:
        check_slack(settings)
    if migrate:
        upgrade_database(settings)
    else:
        warn_without_owner(settings)
    database = open_database(settings)
    check_bot_role(database, many_workspaces=settings.multi_workspace)
    if not migrate and not is_up_to_date(database.engine):
        raise StartupError("The database schema is behind: run `python -m bot db upgrade`.")
    keep_ledger(database, settings.erasure_ledger_path)
    raise_to_recorded_marks(database, settings.erasure_ledger_path.parent)
    check_chain_key(database)
    if settings.multi_workspace:  # each agency's first admin is the user who installed it
        return Runtime(settings=settings, database=database)
    with database.transaction() as session:
        created = staff_store.ensure_admins(session=session, slack_user_ids=settings.admin_user_ids)
    if created:
        logger.info("Created %d admin(s) from ADMIN_USER_IDS", len(created))
    return Runtime(settings=settings, database=database)
