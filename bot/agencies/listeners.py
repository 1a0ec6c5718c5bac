"""`/rekisteri vie` (`/register export`) and `/rekisteri tyhjennä` (`/register erase`): the
agency's admin takes its whole register out, or erases it, at the end of its service.

The export is acknowledged at once and sent after the acknowledgement, in a lazy listener
(bot.agencies.export).

The erasure opens a modal that says what goes and what stays; the admin confirms by typing the
workspace's name. A wrong one is refused beside the field; a right one closes the form on a
notice, and the erasure runs after the acknowledgement, in a lazy listener, its summary sent by
direct message (bot.agencies.erasure). The lazy listener runs whatever the acknowledgement
said, so it checks the confirmation again.
"""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.agencies.blocks import confirmation_shown, erase_view, erasing_view, export_started_text
from bot.agencies.erasure import erase_and_report
from bot.agencies.export import send_register_export
from bot.agencies.inputs import ErasureConfirmation
from bot.runtime.settings import Settings
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_REGISTER, REGISTER_ERASE_FORM
from bot.slack.middleware import require
from bot.staff.inputs import RegisterAction, register_action
from storage import agencies, agency_register, handled_events
from storage.db import Database
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
    send_register_export(
        client,
        session=session,
        database=database,
        agency=agency_of(database),
        to=staff.slack_user_id,
        clock=clock,
        retention_days=file_retention_days,
        t=t,
    )


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
    # Read in a transaction that ends before the erasure's own begins.
    with database.reading() as session:
        name = agencies.name_of(session=session)
    if not ErasureConfirmation.read(view).confirms(name):
        return  # the modal said so beside the field
    # The form sent twice (a double click) erases once: the second finds its view handled.
    with database.transaction() as session:
        if not handled_events.mark_handled(session=session, event_id=f"erase:{view['id']}"):
            return
    erase_and_report(
        client,
        database=database,
        settings=runtime_settings,
        agency=agency_of(database),
        to=staff.slack_user_id,
        t=t,
    )


def agency_of(database: Database) -> int:
    """The agency the request acts for (bot.slack.workspaces)."""
    if database.agency is None:
        raise NotFound("agency")
    return database.agency


def is_export(command: dict[str, Any]) -> bool:
    return register_action(command.get("text", "")) is RegisterAction.EXPORT


def is_erase(command: dict[str, Any]) -> bool:
    return register_action(command.get("text", "")) is RegisterAction.ERASE


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
