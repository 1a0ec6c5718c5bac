"""The `meeting_log` button (value: a person id): the meeting modal with that person chosen.

From a message it opens the modal; from inside a modal (the card) it pushes it on top.
"""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.meeting_form import meeting_form_view
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import MEETING_LOG
from bot.inputs.meeting_form import MeetingFormMetadata
from bot.inputs.person_button import PersonButton
from bot.middleware import require
from bot.modals import modal_of, show_modal
from storage.meetings import person_for_form
from storage.permissions import Permission
from storage.staff import StaffMember


def open_meeting_form_for_person(
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
    person = person_for_form(session=session, viewer=staff, person_id=button.person_id)
    pushed = modal_of(body) is not None
    metadata = MeetingFormMetadata.new(response_url=body.get("response_url"), pushed=pushed)
    show_modal(
        body, client, meeting_form_view(t, metadata=metadata, now=clock.now(), person=person)
    )


def register(app: App) -> None:
    app.action(MEETING_LOG, middleware=[require(Permission.MEETING_LOG)])(
        open_meeting_form_for_person
    )
