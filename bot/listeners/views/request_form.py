"""The data-subject request modal's submission: filed, the controllers alerted, the filer
told the due date privately."""

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.request_form import filing_confirmation_text
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import REQUEST_FORM
from bot.inputs.request_form import RequestFormMetadata, read_request_form
from bot.inputs.view_state import FieldErrors
from bot.middleware import require
from bot.reply import send_privately
from bot.request_alerts import send_alerts
from bot.unit_of_work import after_commit
from storage.permissions import Permission
from storage.requests import file_request_once
from storage.staff import StaffMember


def save_request(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
    context: BoltContext,
) -> None:
    """Filed in the listener's transaction with the controllers' alerts in the outbox; the
    alerts go and the filer is told only once it has committed, so no one hears of a request
    that was not saved."""
    metadata = RequestFormMetadata.parse(view.get("private_metadata", ""))
    form = read_request_form(view["state"]["values"], today=clock.today())
    if isinstance(form, FieldErrors):
        ack(response_action="errors", errors={name: t(text) for name, text in form.errors.items()})
        return
    filing = replace(form, filing_key=metadata.filing_key)
    filed = file_request_once(session=session, actor=staff, filing=filing, today=clock.today())
    ack()
    if not filed.changed:
        return  # the same form sent again: filed, alerted and confirmed the first time
    request = filed.request
    alerted = send_alerts(session=session, request=request)

    def confirm() -> None:
        send_privately(
            client,
            user_id=staff.slack_user_id,
            response_url=metadata.response_url,
            text=filing_confirmation_text(request, t, alerted=alerted > 0),
        )

    after_commit(context, confirm)


def register(app: App) -> None:
    app.view(REQUEST_FORM, middleware=[require(Permission.REQUEST_FILE)])(save_request)
