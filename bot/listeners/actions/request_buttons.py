"""The buttons of a controller's request alert: start, verify, extend, reject, and the
details the alert leaves out.

A button whose act has already been done (a second click, or another controller first) acts
no more: the alerts are refreshed to show where the request stands. `request_fulfil` is
registered by the fulfilment listeners.
"""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.request_alert import is_verified
from bot.blocks.request_details import request_details_view
from bot.blocks.request_work import (
    extend_view,
    extension_refusal,
    not_extendable_view,
    reject_view,
    verify_view,
)
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import REQUEST_EXTEND, REQUEST_OPEN, REQUEST_REJECT, REQUEST_START, REQUEST_VERIFY
from bot.inputs.request_work import RequestButton
from bot.middleware import require
from bot.request_alerts import refresh_alerts, show_as_it_stands
from storage import requests
from storage.deadlines import extended_due_date
from storage.permissions import Permission
from storage.staff import StaffMember


def start_request(
    ack: Ack,
    action: dict[str, Any],
    session: Session,
    staff: StaffMember,
) -> None:
    ack()
    button = RequestButton.parse(action.get("value"))
    step = requests.start(session=session, actor=staff, request_id=button.request_id)
    refresh_alerts(session=session, step=step)


def open_verification(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    button = RequestButton.parse(action.get("value"))
    request = requests.get_request(session=session, viewer=staff, request_id=button.request_id)
    if not request.is_open or is_verified(request):
        show_as_it_stands(session=session, request=request)
        return
    client.views_open(trigger_id=body["trigger_id"], view=verify_view(request, t))


def open_extension(
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
    button = RequestButton.parse(action.get("value"))
    request = requests.get_request(session=session, viewer=staff, request_id=button.request_id)
    if not request.is_open:
        show_as_it_stands(session=session, request=request)
        return
    refusal = extension_refusal(request, t, today=clock.today())
    if refusal:
        view = not_extendable_view(request, t, why=refusal)
    else:
        view = extend_view(request, t, extended_due_on=extended_due_date(request.received_on))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def open_rejection(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    button = RequestButton.parse(action.get("value"))
    request = requests.get_request(session=session, viewer=staff, request_id=button.request_id)
    if not request.is_open:
        show_as_it_stands(session=session, request=request)
        return
    client.views_open(trigger_id=body["trigger_id"], view=reject_view(request, t))


def open_details(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    button = RequestButton.parse(action.get("value"))
    request = requests.get_request(session=session, viewer=staff, request_id=button.request_id)
    client.views_open(trigger_id=body["trigger_id"], view=request_details_view(request, t))


def register(app: App) -> None:
    work = [require(Permission.REQUEST_WORK)]
    app.action(REQUEST_START, middleware=work)(start_request)
    app.action(REQUEST_VERIFY, middleware=work)(open_verification)
    app.action(REQUEST_EXTEND, middleware=work)(open_extension)
    app.action(REQUEST_REJECT, middleware=work)(open_rejection)
    app.action(REQUEST_OPEN, middleware=work)(open_details)
