"""Starts a console session: settings for the console, the app on the stand-in Web API, the
response_url server, and the local admin."""

import logging
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from bot.app import create_app
from bot.console.console import LOCAL_ADMIN, Console
from bot.console.requests import CONSOLE_CHANNEL
from bot.console.web_api import ConsoleSlack, ConsoleWebClient
from bot.runtime.audit_sealer import AuditSealer
from bot.runtime.high_water_marks import raise_to_recorded_marks
from bot.runtime.logs import as_notes
from bot.runtime.settings import Settings
from bot.runtime.startup import open_database, settings_or_stop, upgrade_database
from bot.slack.transactions import finish_lazy_listeners
from storage import staff as staff_store
from storage.db import Database

FILES_DIR = Path("data/console-files")


def console_settings(settings: Settings) -> Settings:
    """The settings with a fresh signing secret for this session's requests, and the console
    channel for reminders when none is set."""
    return settings.model_copy(
        update={
            "slack_bot_token": "xoxb-console",
            "slack_signing_secret": secrets.token_hex(32),
            "slack_app_token": None,
            "reminder_channel_id": settings.reminder_channel_id or CONSOLE_CHANNEL,
        }
    )


@contextmanager
def open_console(
    settings: Settings,
    database: Database,
    *,
    input: TextIO,
    output: TextIO,
    files_dir: Path = FILES_DIR,
    line_editing: bool = False,
) -> Iterator[Console]:
    settings = console_settings(settings)
    with database.transaction() as session:
        staff_store.ensure_admins(
            session=session, slack_user_ids=(LOCAL_ADMIN, *settings.admin_user_ids)
        )
    slack = ConsoleSlack(files_dir=files_dir).start()
    client = ConsoleWebClient(slack)
    try:
        app = create_app(
            settings, database, client=client, token_verification_enabled=False, ack_budget=None
        )
        try:
            yield Console(
                app,
                slack,
                client,
                settings=settings,
                database=database,
                input=input,
                output=output,
                line_editing=line_editing,
            )
        finally:
            # What the bot still finishes in the background (an access package) ends before
            # the stand-in Slack it sends to: leaving at once neither loses it nor logs a
            # failed delivery.
            finish_lazy_listeners(app)
    finally:
        slack.stop()


def run_console() -> int:
    """`python -m bot console`: a session on the terminal, on the settings' database."""
    settings = settings_or_stop()
    logging.getLogger().setLevel(logging.WARNING)
    as_notes()
    upgrade_database(settings)
    database = open_database(settings)
    sealer = AuditSealer(database).start()
    try:
        raise_to_recorded_marks(database, settings.erasure_ledger_path.parent)
        with open_console(
            settings,
            database,
            input=sys.stdin,
            output=sys.stdout,
            line_editing=sys.stdin.isatty() and _line_editing(),
        ) as console:
            console.run()
    finally:
        sealer.close()
        database.dispose()
    return 0


def _line_editing() -> bool:
    """History and line editing for input(), where the platform has readline."""
    try:
        import readline  # noqa: F401
    except ImportError:
        return False
    return True
