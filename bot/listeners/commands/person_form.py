"""`/asiakas uusi` (`/customer new`): the new-person form."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.person_form import person_form_view
from bot.i18n import Translator
from bot.ids import COMMAND_CUSTOMER
from bot.inputs.customer_command import CustomerAction, customer_action
from bot.inputs.person_form import FormMetadata
from bot.middleware import require
from storage.permissions import Permission


def open_new_person_form(ack: Ack, body: dict[str, Any], client: WebClient, t: Translator) -> None:
    ack()
    client.views_open(
        trigger_id=body["trigger_id"], view=person_form_view(t, metadata=FormMetadata())
    )


def is_new(command: dict[str, Any]) -> bool:
    return customer_action(command.get("text", "")) is CustomerAction.NEW


def register(app: App) -> None:
    for name in COMMAND_CUSTOMER:
        app.command(name, matchers=[is_new], middleware=[require(Permission.PERSON_CREATE)])(
            open_new_person_form
        )
