"""The meeting modal's submission: saved once per opened form, confirmed privately."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.meeting_form import confirmation_text
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import MEETING_FORM
from bot.inputs.meeting_form import FieldErrors, MeetingFormMetadata, read_meeting_form
from bot.middleware import require
from bot.reply import send_privately
from bot.unit_of_work import after_commit
from storage.meetings import log_meeting
from storage.permissions import Permission
from storage.staff import StaffMember


def save_meeting(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
    context: BoltContext,
) -> None:
    metadata = MeetingFormMetadata.parse(view.get("private_metadata", ""))
    form = read_meeting_form(view["state"]["values"], now=clock.now(), today=clock.today())
    if isinstance(form, FieldErrors):
        ack(response_action="errors", errors={name: t(text) for name, text in form.errors.items()})
        return
    meeting = log_meeting(
        session=session, actor=staff, fields=form, idempotency_key=metadata.idempotency_key
    )
    if metadata.pushed:
        ack(response_action="clear")  # closes the card beneath it too
    else:
        ack()
    text = confirmation_text(meeting, t, clock.zone)
    after_commit(
        context,
        lambda: send_privately(
            client, user_id=staff.slack_user_id, response_url=metadata.response_url, text=text
        ),
    )


def register(app: App) -> None:
    app.view(MEETING_FORM, middleware=[require(Permission.MEETING_LOG)])(save_meeting)
