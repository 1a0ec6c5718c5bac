"""The buttons that open a person: a new one, the edit form, the card.

From a message or the Home tab the modal opens; from inside a modal it goes on top, so the
modal below (a form with a duplicate warning) keeps what was typed. Editing from the card
replaces the card, which the save turns back into the card.

The `consent_record` button on a card (value: a person id): the consent modal, pushed on
top of the card so that closing it returns there.

The `disclosure_record` button on a controller's card (value: a person id): the disclosure
modal, pushed on top of the card.

A list on the card longer than the card shows (`card_list_open`): all of it, pushed on top of
the card a page at a time; its page buttons (`card_list_page`) turn the page in place. So too
the duplicate warning's matches past those it lists (`duplicates_open`, `duplicates_page`)."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.models.views import View
from sqlalchemy.orm import Session

from bot.customers.blocks import (
    HITS_A_PAGE,
    consent_form_view,
    disclosure_form_view,
    hit_list_blocks,
)
from bot.customers.bulk_lookups import watch_card_opened
from bot.customers.card import CARD_LISTS, card_list_view, person_card_view
from bot.customers.duplicates import DuplicateList, duplicates_view
from bot.customers.form import person_form_view, values_of
from bot.customers.form_inputs import FormMetadata
from bot.customers.inputs import NOT_A_LIST, CardListButton, CardModalMetadata, HitListPage
from bot.customers.named import person_named
from bot.slack.clock import AgencyClock
from bot.slack.error_messages import UserInputError
from bot.slack.i18n import Translator
from bot.slack.ids import (
    CARD_LIST_OPEN,
    CARD_LIST_PAGE,
    CONSENT_RECORD,
    DISCLOSURE_RECORD,
    DUPLICATES_OPEN,
    DUPLICATES_PAGE,
    HIT_LIST_PAGE,
    PERSON_CARD,
    PERSON_EDIT,
    PERSON_NEW,
    PERSON_OPEN,
)
from bot.slack.inputs.page_button import PageButton
from bot.slack.middleware import require
from bot.slack.modals import modal_of, show_modal
from storage import persons
from storage.enums import Purpose
from storage.permissions import Permission
from storage.search import search_persons
from storage.staff import StaffMember


def new_person(ack: Ack, body: dict[str, Any], client: WebClient, t: Translator) -> None:
    ack()
    show_modal(body, client, person_form_view(t, metadata=FormMetadata()))


def edit_person(
    ack: Ack,
    body: dict[str, Any],
    person_id: int,
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    person = persons.read_for_edit(session=session, viewer=staff, person_id=person_id)
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
    person_id: int,
    client: WebClient,
    context: BoltContext,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    card = persons.person_card(
        session=session,
        viewer=staff,
        person_id=person_id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    watch_card_opened(context, session=session, staff=staff)
    show_modal(body, client, person_card_view(card, t, disclose=staff.can(Permission.REQUEST_WORK)))


def open_consent_form(
    ack: Ack,
    body: dict[str, Any],
    person_id: int,
    client: WebClient,
    t: Translator,
    clock: AgencyClock,
) -> None:
    ack()
    card = modal_of(body)
    metadata = CardModalMetadata(person_id=person_id, card_view_id=card and card.get("id"))
    show_modal(body, client, consent_form_view(t, metadata=metadata, today=clock.today()))


def open_disclosure_form(
    ack: Ack, body: dict[str, Any], person_id: int, client: WebClient, t: Translator
) -> None:
    ack()
    card = modal_of(body)
    metadata = CardModalMetadata(person_id=person_id, card_view_id=card and card.get("id"))
    show_modal(body, client, disclosure_form_view(t, metadata=metadata))


def _card_list(action: dict[str, Any], session: Session, staff: StaffMember, t: Translator) -> View:
    button = CardListButton.parse(action.get("value"))
    if button.name not in CARD_LISTS:
        raise UserInputError(NOT_A_LIST)
    card = persons.person_card(
        session=session,
        viewer=staff,
        person_id=button.person_id,
        purpose=Purpose.CUSTOMER_SERVICE,
        every_meeting=button.name == "meetings",
    )
    return card_list_view(card, button.name, button.page, t)


def open_card_list(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    show_modal(body, client, _card_list(action, session, staff, t))


def turn_card_list_page(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    page = _card_list(action, session, staff, t)
    shown = modal_of(body)
    if shown:
        client.views_update(view_id=shown["id"], hash=shown.get("hash"), view=page)
    else:
        show_modal(body, client, page)


def open_duplicates(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, t: Translator
) -> None:
    ack()
    show_modal(body, client, duplicates_view(DuplicateList.parse(action.get("value")), 0, t))


def turn_duplicates_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient, t: Translator
) -> None:
    ack()
    shown = modal_of(body) or {}
    listing = DuplicateList.parse(shown.get("private_metadata"))
    page = PageButton.parse(action.get("value")).page
    client.views_update(
        view_id=shown.get("id"), hash=shown.get("hash"), view=duplicates_view(listing, page, t)
    )


def turn_hit_list_page(
    ack: Ack,
    action: dict[str, Any],
    respond: Respond,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """A further page of an `/asiakas` search, in place of the page shown."""
    ack()
    turned = HitListPage.parse(action.get("value"))
    result = search_persons(
        session=session,
        viewer=staff,
        query=turned.query,
        purpose=Purpose.CUSTOMER_SERVICE,
        limit=HITS_A_PAGE,
        offset=turned.page * HITS_A_PAGE,
    )
    blocks = hit_list_blocks(turned.query, result, t, page=turned.page)
    respond(blocks=blocks, response_type="ephemeral", replace_original=True)


def register(app: App) -> None:
    app.action(HIT_LIST_PAGE, middleware=[require(Permission.PERSON_SEARCH)])(turn_hit_list_page)
    app.action(PERSON_NEW, middleware=[require(Permission.PERSON_CREATE)])(new_person)
    app.action(PERSON_EDIT, middleware=[require(Permission.PERSON_EDIT), person_named])(edit_person)
    app.action(PERSON_OPEN, middleware=[require(Permission.PERSON_VIEW), person_named])(open_card)
    app.action(CONSENT_RECORD, middleware=[require(Permission.PERSON_EDIT), person_named])(
        open_consent_form
    )
    app.action(DISCLOSURE_RECORD, middleware=[require(Permission.REQUEST_WORK), person_named])(
        open_disclosure_form
    )
    app.action(CARD_LIST_OPEN, middleware=[require(Permission.PERSON_VIEW)])(open_card_list)
    app.action(CARD_LIST_PAGE, middleware=[require(Permission.PERSON_VIEW)])(turn_card_list_page)
    app.action(DUPLICATES_OPEN, middleware=[require(Permission.PERSON_SEARCH)])(open_duplicates)
    app.action(DUPLICATES_PAGE, middleware=[require(Permission.PERSON_SEARCH)])(
        turn_duplicates_page
    )
