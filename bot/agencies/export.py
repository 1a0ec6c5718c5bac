"""The agency's whole register as a ZIP file in its admin's direct message.

The archive is written to a file of its own, readable by its owner alone, in a temporary folder
removed once it is sent: a large register never sits in memory. It is recorded as every file
the bot sends is, so that the `slack-files` job deletes it from Slack after
SLACK_FILE_RETENTION_DAYS; it is linked to no person (it holds them all), so erasing one
person does not take it from Slack at once. A failure is told to the admin; the log has its
reference and no personal data."""

import tempfile
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.agencies.blocks import export_failed_text, export_summary_text
from bot.agencies.register import export_register_to
from bot.slack.clock import AgencyClock
from bot.slack.error_messages import message_for
from bot.slack.i18n import Translator
from bot.slack.kept_in_slack import send_files
from storage.db import Database
from storage.enums import SlackFileKind


def send_register_export(
    client: WebClient,
    *,
    session: Session,
    database: Database,
    agency: int,
    to: str,
    clock: AgencyClock,
    retention_days: int,
    t: Translator,
) -> None:
    try:
        with tempfile.TemporaryDirectory(prefix="register-export-") as folder:
            name = f"register-{clock.today():%Y%m%d}.zip"
            path = Path(folder) / name
            export = export_register_to(database, agency=agency, actor=to, path=path)
            send_files(
                client,
                session=session,
                to=to,
                comment=export_summary_text(export, t),
                uploads=[{"file": str(path), "filename": name, "title": name}],
                kind=SlackFileKind.REGISTER_EXPORT,
                retention_days=retention_days,
                now=clock.now(),
                zone=clock.zone,
                t=t,
            )
    except Exception as error:  # the edge of the work after the answer: nothing above reports it
        session.rollback()
        client.chat_postMessage(channel=to, text=f"{export_failed_text(t)} {message_for(error, t)}")
