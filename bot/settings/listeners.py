"""`/rekisteri asetukset` (`/register settings`): an admin shows or sets the agency's settings."""

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.settings.blocks import settings_blocks
from bot.settings.inputs import ChangeSetting
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_REGISTER
from bot.slack.middleware import require
from bot.staff.inputs import RegisterAction, register_action
from storage import agency_settings
from storage.agency_settings import AgencySettings
from storage.permissions import Permission
from storage.staff import StaffMember


def show_or_set(
    ack: Ack,
    command: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
    deployment_settings: AgencySettings,
) -> None:
    change = ChangeSetting.parse(command["text"])
    if change is not None:
        agency_settings.set_setting(
            session=session, actor=staff, name=change.name, value=change.value
        )
    own = agency_settings.own_settings(session=session)
    in_force = agency_settings.over(deployment_settings, own)
    blocks = settings_blocks(in_force, own, t, saved=change is not None)
    text = t("Saved.") if change is not None else t("The agency's settings")
    ack(text=text, blocks=blocks, response_type="ephemeral")


def is_settings(command: dict[str, Any]) -> bool:
    return register_action(command.get("text", "")) == RegisterAction.SETTINGS


def register(app: App) -> None:
    for name in COMMAND_REGISTER:
        app.command(
            name,
            matchers=[is_settings],
            middleware=[require(Permission.SETTINGS_MANAGE)],
        )(show_or_set)
