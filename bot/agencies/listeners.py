"""`/rekisteri vie` (`/register export`) and `/rekisteri tyhjennä` (`/register erase`): the
agency's admin takes its whole register out, or erases it, at the end of its service.

The export is acknowledged at once; after the acknowledgement, in a lazy listener, the ZIP
archive is written to a file of its own (a large register never sits in memory) and sent to
the admin's direct message. It is recorded as every file the bot sends is, so that the
`slack-files` job deletes it from Slack after SLACK_FILE_RETENTION_DAYS; it is linked to no
person (it holds them all), so erasing one person does not take it from Slack at once.

The erasure opens a modal that says what goes and what stays; the admin confirms by typing the
workspace's name. A wrong one is refused beside the field; a right one closes the form on a
notice, and the erasure runs after the acknowledgement, its summary sent by direct message.
The lazy listener runs whatever the acknowledgement said, so it checks the confirmation again.
"""

import tempfile
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.agencies.blocks import (
    erase_view,
    erasing_view,
    erasure_failed_text,
    erasure_summary_text,
    export_failed_text,
    export_started_text,
    export_summary_text,
)
from bot.agencies.inputs import ErasureConfirmation, confirmation_shown, is_erase, is_export
from bot.agencies.register import erase_register, export_register_to
from bot.runtime.settings import Settings
from bot.slack.clock import AgencyClock
from bot.slack.error_messages import message_for
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_REGISTER, REGISTER_ERASE_FORM
from bot.slack.kept_in_slack import send_files
from bot.slack.middleware import require
from storage import agencies, agency_register
from storage.db import Database
from storage.enums import SlackFileKind
from storage.errors import NotFound
from storage.permissions import Permission
from storage.staff import StaffMember


def acknowledge_export(ack: Ack, t: Translator) -> None:
    ack(text=export_started_text(t), response_type="ephemeral")


def send_export(
    client: WebClient,
    clock: AgencyClock,
    database: Database,
    file_retention_days: int,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    agency = agency_of(database)
    try:
        with tempfile.TemporaryDirectory(prefix="register-export-") as folder:
            name = f"register-{clock.today():%Y%m%d}.zip"
            path = Path(folder) / name
            export = export_register_to(
                database, agency=agency, actor=staff.slack_user_id, path=path
            )
            send_files(
                client,
                session=session,
                to=staff.slack_user_id,
                comment=export_summary_text(export, t),
                uploads=[{"file": str(path), "filename": name, "title": name}],
                kind=SlackFileKind.REGISTER_EXPORT,
                retention_days=file_retention_days,
                now=clock.now(),
                zone=clock.zone,
                t=t,
            )
    except Exception as error:  # the edge of the lazy work: the admin is told, the log has it
        session.rollback()
        text = f"{export_failed_text(t)} {message_for(error, t)}"
        client.chat_postMessage(channel=staff.slack_user_id, text=text)


def open_erasure(
    ack: Ack, command: dict[str, Any], client: WebClient, session: Session, t: Translator
) -> None:
    ack()
    name = agencies.name_of(session=session)
    counts = agency_register.register_counts(session=session)
    view = erase_view(confirmation_shown(name, t), named=bool(name.strip()), counts=counts, t=t)
    client.views_open(trigger_id=command["trigger_id"], view=view)


def confirm_erasure(ack: Ack, view: dict[str, Any], session: Session, t: Translator) -> None:
    ErasureConfirmation.read(view).check(agencies.name_of(session=session))
    ack(response_action="update", view=erasing_view(t))


def erase_when_confirmed(
    client: WebClient,
    database: Database,
    runtime_settings: Settings,
    staff: StaffMember,
    t: Translator,
    view: dict[str, Any],
) -> None:
    with database.reading() as reading:
        name = agencies.name_of(session=reading)
    if not ErasureConfirmation.read(view).confirms(name):
        return  # the modal said so beside the field
    try:
        erasure = erase_register(
            database, runtime_settings, agency=agency_of(database), actor=staff.slack_user_id
        )
    except Exception as error:  # the edge of the lazy work: the admin is told, the log has it
        text = f"{erasure_failed_text(t)} {message_for(error, t)}"
        client.chat_postMessage(channel=staff.slack_user_id, text=text)
        return
    summary = erasure_summary_text(erasure, multi_workspace=runtime_settings.multi_workspace, t=t)
    client.chat_postMessage(channel=staff.slack_user_id, text=summary)


def agency_of(database: Database) -> int:
    """The agency the request acts for (bot.slack.workspaces)."""
    if database.agency is None:
        raise NotFound("agency")
    return database.agency


def register(app: App) -> None:
    end = require(Permission.REGISTER_END)
    for name in COMMAND_REGISTER:
        app.command(name, matchers=[is_export], middleware=[end])(
            ack=acknowledge_export, lazy=[send_export]
        )
        app.command(name, matchers=[is_erase], middleware=[end])(open_erasure)
    app.view(REGISTER_ERASE_FORM, middleware=[end])(
        ack=confirm_erasure, lazy=[erase_when_confirmed]
    )
