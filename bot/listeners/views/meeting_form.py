"""The meeting modal's submission: saved once per opened form, confirmed privately."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session

from bot.blocks.meeting_form import confirmation_text
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import MEETING_FORM
from bot.inputs.meeting_form import FieldErrors, MeetingFormMetadata, read_meeting_form
from bot.middleware import require
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
    send_privately(
        client, user_id=staff.slack_user_id, response_url=metadata.response_url, text=text
    )


def send_privately(client: WebClient, *, user_id: str, response_url: str | None, text: str) -> None:
    """Through the response_url of what opened the form, else as a direct message."""
    if response_url and _respond(response_url, text):
        return
    client.chat_postMessage(channel=user_id, text=text)


def _respond(response_url: str, text: str) -> bool:
    try:
        response = WebhookClient(response_url).send(
            text=text, response_type="ephemeral", replace_original=False
        )
    except OSError:  # the URL is unreachable; the direct message still gets through
        return False
    return response.status_code == 200


def register(app: App) -> None:
    app.view(MEETING_FORM, middleware=[require(Permission.MEETING_LOG)])(save_meeting)
