"""The `request_file` button on a card (value: a person id): the request form, the person
chosen. Pushed on top of the card, so closing it returns there."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.request_form import request_form_view
from bot.clock import AgencyClock
from bot.customers.inputs import PersonButton
from bot.i18n import Translator
from bot.ids import REQUEST_FILE
from bot.inputs.request_form import RequestFormMetadata
from bot.middleware import require
from bot.modals import show_modal
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.search import read_hit
from storage.staff import StaffMember


def open_request_form_for_person(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    ack()
    button = PersonButton.parse(action.get("value"))
    person = read_hit(
        session=session,
        viewer=staff,
        person_id=button.person_id,
        action="request.form",
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )
    metadata = RequestFormMetadata.new(response_url=body.get("response_url"))
    view = request_form_view(t, metadata=metadata, today=clock.today(), person=person)
    show_modal(body, client, view)


def register(app: App) -> None:
    app.action(REQUEST_FILE, middleware=[require(Permission.REQUEST_FILE)])(
        open_request_form_for_person
    )
