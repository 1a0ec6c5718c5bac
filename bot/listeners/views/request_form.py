"""The data-subject request modal's submission: filed, the controllers alerted, the filer
told the due date privately."""

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import REQUEST_FORM
from bot.inputs.request_form import RequestFormMetadata, read_request_form
from bot.inputs.view_state import FieldErrors
from bot.middleware import require
from bot.request_alerts import confirm_filing, send_alerts
from storage.permissions import Permission
from storage.requests import file_request_once
from storage.staff import StaffMember


def save_request(
    ack: Ack,
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    """Filed in the listener's transaction with the controllers' alerts and the filer's
    confirmation in the outbox: they go once it has committed, so no one hears of a request
    that was not saved, and a Slack outage delays them without losing them."""
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
    alerted = send_alerts(session=session, request=filed.request)
    confirm_filing(
        session=session,
        request=filed.request,
        filer=staff.slack_user_id,
        response_url=metadata.response_url,
        alerted=alerted > 0,
    )


def register(app: App) -> None:
    app.view(REQUEST_FORM, middleware=[require(Permission.REQUEST_FILE)])(save_request)
