"""`/tapaaminen` (`/meeting`): opens the meeting modal, with the person preselected when the
command's search finds exactly one."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.meeting_form import meeting_form_view, search_notice
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import COMMAND_MEETING
from bot.inputs.meeting_form import MeetingCommand, MeetingFormMetadata
from bot.middleware import require
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.search import search_persons
from storage.staff import StaffMember

PRESELECT_LIMIT = 2


def open_meeting_form(
    ack: Ack,
    command: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    query = MeetingCommand.parse(command.get("text", "")).query
    ack()
    found = search_persons(
        session=session,
        viewer=staff,
        query=query,
        purpose=Purpose.MEETING_RECORD,
        limit=PRESELECT_LIMIT,
    )
    metadata = MeetingFormMetadata.new(response_url=command.get("response_url"), pushed=False)
    view = meeting_form_view(
        t,
        metadata=metadata,
        now=clock.now(),
        person=found.hits[0] if found.total == 1 else None,
        notice=search_notice(query, found.total, t),
    )
    client.views_open(trigger_id=command["trigger_id"], view=view)


def register(app: App) -> None:
    for name in COMMAND_MEETING:
        app.command(name, middleware=[require(Permission.MEETING_LOG)])(open_meeting_form)
