"""Each controller's direct message about a data-subject request: posted when the request is
filed, updated in place as it moves, so it always shows where the request stands; and the
filer told when it is resolved.

A message Slack refuses (a controller who left the workspace, a deleted message) is logged by
ids and skipped: the others still go out, and the request stands.
"""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.request_alert import alert_blocks, alert_text, filer_outcome_text
from bot.i18n import N_, translator
from storage import requests
from storage import staff as staff_store
from storage.permissions import Permission
from storage.requests import RequestView, Transition
from storage.staff import StaffMember

logger = logging.getLogger(__name__)

NO_LONGER_YOURS = N_("You no longer handle data-subject requests.")


def _language(member: StaffMember | None, default_language: str) -> str:
    return (member.language if member else None) or default_language


def send_alerts(
    client: WebClient, *, session: Session, request: RequestView, default_language: str
) -> int:
    """A direct message to every active controller about a new request; how many got one."""
    sent = 0
    for controller in requests.active_controllers(session=session):
        t = translator(_language(controller, default_language))
        try:
            response = client.chat_postMessage(
                channel=controller.slack_user_id,
                text=alert_text(request, t),
                blocks=alert_blocks(request, t),
            )
        except SlackApiError as error:
            logger.warning(
                "Request %s: no alert to staff %s: %s",
                request.id,
                controller.id,
                error.response.get("error"),
            )
            continue
        requests.record_alert(
            session=session,
            request_id=request.id,
            slack_user_id=controller.slack_user_id,
            channel_id=response["channel"],
            message_ts=response["ts"],
        )
        sent += 1
    return sent


def refresh_alerts(
    client: WebClient, *, session: Session, step: Transition, default_language: str
) -> None:
    """Updates every controller's alert to show the request as the step left it, each in their
    own language, and tells the filer once the request is resolved. A step that changed
    nothing (a second click) only updates the messages."""
    request = step.request
    alerts = requests.alerts_for(session=session, request_id=request.id)
    members = {
        alert.slack_user_id: staff_store.find(session=session, slack_user_id=alert.slack_user_id)
        for alert in alerts
    }
    workers = [m for m in members.values() if m is not None and m.can(Permission.REQUEST_WORK)]
    for alert in alerts:
        member = members[alert.slack_user_id]
        t = translator(_language(member, default_language))
        if member in workers:
            text, blocks = alert_text(request, t), alert_blocks(request, t)
        else:
            text, blocks = t(NO_LONGER_YOURS), []
        try:
            client.chat_update(
                channel=alert.channel_id, ts=alert.message_ts, text=text, blocks=blocks
            )
        except SlackApiError as error:
            logger.warning(
                "Request %s: alert of staff %s not updated: %s",
                request.id,
                member.id if member else "-",
                error.response.get("error"),
            )
    if step.changed and not request.is_open:
        tell_filer(client, session=session, request=request, default_language=default_language)


def show_as_it_stands(
    client: WebClient, *, session: Session, request: RequestView, language: str
) -> None:
    """The alerts refreshed, nothing done: the button's act no longer applies."""
    step = Transition(request=request, changed=False)
    refresh_alerts(client, session=session, step=step, default_language=language)


def tell_filer(
    client: WebClient, *, session: Session, request: RequestView, default_language: str
) -> None:
    """A direct message to the staff member who filed the request, that it is resolved."""
    filer = (
        staff_store.find(session=session, slack_user_id=request.filed_by)
        if request.filed_by
        else None
    )
    if filer is None or not filer.active:
        return
    t = translator(_language(filer, default_language))
    try:
        client.chat_postMessage(channel=filer.slack_user_id, text=filer_outcome_text(request, t))
    except SlackApiError as error:
        logger.warning(
            "Request %s: filer %s not told: %s", request.id, filer.id, error.response.get("error")
        )
