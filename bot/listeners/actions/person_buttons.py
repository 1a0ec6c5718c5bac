"""The buttons that open a person: a new one, the edit form, the card.

From a message or the Home tab the modal opens; from inside a modal it goes on top, so the
modal below (a form with a duplicate warning) keeps what was typed. Editing from the card
replaces the card, which the save turns back into the card.
"""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.person_card import person_card_view
from bot.blocks.person_form import person_form_view, values_of
from bot.bulk_lookups import watch_card_opened
from bot.i18n import Translator
from bot.ids import PERSON_CARD, PERSON_EDIT, PERSON_NEW, PERSON_OPEN
from bot.inputs.person_button import PersonButton
from bot.inputs.person_form import FormMetadata
from bot.middleware import require
from bot.modals import modal_of, show_modal
from storage import persons
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.staff import StaffMember


def new_person(ack: Ack, body: dict[str, Any], client: WebClient, t: Translator) -> None:
    ack()
    show_modal(body, client, person_form_view(t, metadata=FormMetadata()))


def edit_person(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    button = PersonButton.parse(action.get("value"))
    person = persons.read_for_edit(session=session, viewer=staff, person_id=button.person_id)
    values = values_of(person)
    form = person_form_view(t, metadata=FormMetadata.for_edit(person.id, values), values=values)
    card = modal_of(body)
    if card and card.get("callback_id") == PERSON_CARD:
        client.views_update(view_id=card["id"], hash=card.get("hash"), view=form)
    else:
        show_modal(body, client, form)


def open_card(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    button = PersonButton.parse(action.get("value"))
    card = persons.person_card(
        session=session,
        viewer=staff,
        person_id=button.person_id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    watch_card_opened(context, session=session, staff=staff)
    show_modal(body, client, person_card_view(card, t, disclose=staff.can(Permission.REQUEST_WORK)))


def register(app: App) -> None:
    app.action(PERSON_NEW, middleware=[require(Permission.PERSON_CREATE)])(new_person)
    app.action(PERSON_EDIT, middleware=[require(Permission.PERSON_EDIT)])(edit_person)
    app.action(PERSON_OPEN, middleware=[require(Permission.PERSON_VIEW)])(open_card)
