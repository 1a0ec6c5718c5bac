"""The `disclosure_record` button on a controller's card (value: a person id): the disclosure
modal, pushed on top of the card."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.disclosure_form import disclosure_form_view
from bot.i18n import Translator
from bot.ids import DISCLOSURE_RECORD
from bot.inputs.consent_form import CardModalMetadata
from bot.inputs.person_button import PersonButton
from bot.middleware import require
from bot.modals import modal_of, show_modal
from storage.permissions import Permission


def open_disclosure_form(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, t: Translator
) -> None:
    ack()
    button = PersonButton.parse(action.get("value"))
    card = modal_of(body)
    metadata = CardModalMetadata(person_id=button.person_id, card_view_id=card and card.get("id"))
    show_modal(body, client, disclosure_form_view(t, metadata=metadata))


def register(app: App) -> None:
    app.action(DISCLOSURE_RECORD, middleware=[require(Permission.REQUEST_WORK)])(
        open_disclosure_form
    )
