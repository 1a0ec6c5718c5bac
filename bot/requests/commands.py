"""`/tietopyynto` (`/dsr`): opens the data-subject request modal."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.requests.blocks import request_form_view
from bot.requests.inputs import RequestFormMetadata
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_REQUEST
from bot.slack.middleware import require
from storage.permissions import Permission


def open_request_form(ack: Ack, command: dict[str, Any], client: WebClient, t: Translator) -> None:
    ack()
    metadata = RequestFormMetadata.new(response_url=command.get("response_url"))
    view = request_form_view(t, metadata=metadata)
    client.views_open(trigger_id=command["trigger_id"], view=view)


def register(app: App) -> None:
    for name in COMMAND_REQUEST:
        app.command(name, middleware=[require(Permission.REQUEST_FILE)])(open_request_form)
