"""The `consent_record` button on a card (value: a person id): the consent modal, pushed on
top of the card so that closing it returns there."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.consent_form import consent_form_view
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import CONSENT_RECORD
from bot.inputs.consent_form import CardModalMetadata
from bot.inputs.person_button import PersonButton
from bot.middleware import require
from bot.modals import modal_of, show_modal
from storage.permissions import Permission


def open_consent_form(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    t: Translator,
    clock: AgencyClock,
) -> None:
    ack()
    button = PersonButton.parse(action.get("value"))
    card = modal_of(body)
    metadata = CardModalMetadata(person_id=button.person_id, card_view_id=card and card.get("id"))
    show_modal(body, client, consent_form_view(t, metadata=metadata, today=clock.today()))


def register(app: App) -> None:
    app.action(CONSENT_RECORD, middleware=[require(Permission.PERSON_EDIT)])(open_consent_form)
