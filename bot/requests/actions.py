"""The buttons of a controller's request alert: start, verify, extend, reject, and the
details the alert leaves out.

A button whose act has already been done (a second click, or another controller first) acts
no more: the alerts are refreshed to show where the request stands. `request_fulfil` is
registered by the fulfilment listeners.

The `request_file` button on a card (value: a person id): the request form, the person
chosen. Pushed on top of the card, so closing it returns there.

The `request_fulfil` button on a controller's alert, by the request's kind.

Rectification opens the person's edit form, erasure its confirmation, restriction a modal for
the reason: each within the three seconds a trigger lives. Access closes the request after the
acknowledgement, in a lazy listener, and the copy of the data goes to the controller's direct
message through the outbox. The `restriction_lift` button on a restricted person's card lifts a
restriction."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.customers.card import person_card_view
from bot.customers.form import person_form_view, values_of
from bot.customers.form_inputs import FormMetadata
from bot.customers.named import person_named
from bot.requests.alert_blocks import (
    PACKAGE_RESOLUTION,
    erasure_view,
    extend_view,
    extension_refusal,
    is_verified,
    not_extendable_view,
    reject_view,
    restriction_view,
    verify_view,
)
from bot.requests.alerts import refresh_alerts
from bot.requests.blocks import request_details_view, request_form_view
from bot.requests.fulfil import check_can_fulfil, close_request
from bot.requests.inputs import RequestButton, RequestFormMetadata
from bot.requests.named import for_open_request, named_request
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.ids import (
    REQUEST_EXTEND,
    REQUEST_FILE,
    REQUEST_FULFIL,
    REQUEST_OPEN,
    REQUEST_REJECT,
    REQUEST_START,
    REQUEST_VERIFY,
    RESTRICTION_LIFT,
)
from bot.slack.middleware import require
from bot.slack.modals import modal_of, show_modal
from storage import access_package, erasure, outbox, persons, requests, restriction
from storage.deadlines import extended_due_date
from storage.enums import OutboxKind, Purpose, RequestKind
from storage.permissions import Permission
from storage.requests import RequestView
from storage.search import read_hit
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


@for_open_request(lambda request: request.is_open and not is_verified(request))
def open_verification(
    body: dict[str, Any], client: WebClient, request: RequestView, t: Translator
) -> None:
    client.views_open(trigger_id=body["trigger_id"], view=verify_view(request, t))


@for_open_request()
def open_extension(
    body: dict[str, Any],
    client: WebClient,
    request: RequestView,
    t: Translator,
    clock: AgencyClock,
) -> None:
    refusal = extension_refusal(request, today=clock.today(), language=t.language)
    if refusal:
        message, params = refusal
        view = not_extendable_view(request, t, why=t(message, **params))
    else:
        view = extend_view(request, t, extended_due_on=extended_due_date(request.received_on))
    client.views_open(trigger_id=body["trigger_id"], view=view)


@for_open_request()
def open_rejection(
    body: dict[str, Any], client: WebClient, request: RequestView, t: Translator
) -> None:
    client.views_open(trigger_id=body["trigger_id"], view=reject_view(request, t))


def open_details(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    request = named_request(session=session, staff=staff, body=body)
    client.views_open(trigger_id=body["trigger_id"], view=request_details_view(request, t))


def open_request_form_for_person(
    ack: Ack,
    body: dict[str, Any],
    person_id: int,
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    ack()
    person = read_hit(
        session=session,
        viewer=staff,
        person_id=person_id,
        action="request.form",
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )
    metadata = RequestFormMetadata.new(response_url=body.get("response_url"))
    view = request_form_view(t, metadata=metadata, today=clock.today(), person=person)
    show_modal(body, client, view)


def open_fulfil(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    request = named_request(session=session, staff=staff, body=body)
    if request.kind is RequestKind.ACCESS:
        return
    person_id = check_can_fulfil(request)
    if request.kind is RequestKind.RECTIFICATION:
        person = persons.read_for_edit(
            session=session,
            viewer=staff,
            person_id=person_id,
            purpose=Purpose.DATA_SUBJECT_REQUEST,
        )
        values = values_of(person)
        metadata = FormMetadata.for_edit(person.id, values, request_id=request.id)
        view = person_form_view(t, metadata=metadata, values=values)
    elif request.kind is RequestKind.ERASURE:
        plan = erasure.erasure_plan(session=session, actor=staff, person_id=person_id)
        view = erasure_view(request, plan, t)
    else:
        view = restriction_view(request, t)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def deliver_access_package(
    body: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """Runs after the acknowledgement: closes the request once and puts the package for the
    controller's direct message in the outbox; it is built, in the requester's language, and
    uploaded when it is delivered (right after the commit, or by the clock after an outage)."""
    request = named_request(session=session, staff=staff, body=body)
    if request.kind is not RequestKind.ACCESS:
        return
    person_id = check_can_fulfil(request)
    close_request(
        session=session, staff=staff, request_id=request.id, resolution=t(PACKAGE_RESOLUTION)
    )
    access_package.record_access_package(session=session, actor=staff, person_id=person_id)
    outbox.enqueue(
        session=session,
        key=f"access-package:{request.id}:{staff.slack_user_id}",
        kind=OutboxKind.ACCESS_PACKAGE,
        recipient=staff.slack_user_id,
        request_id=request.id,
    )


def lift_restriction(
    ack: Ack,
    body: dict[str, Any],
    person_id: int,
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    restriction.lift_restriction(session=session, actor=staff, person_id=person_id)
    card = persons.person_card(
        session=session,
        viewer=staff,
        person_id=person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )
    view = modal_of(body)
    if view:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=person_card_view(card, t)
        )


def register(app: App) -> None:
    work = [require(Permission.REQUEST_WORK)]
    app.action(REQUEST_START, middleware=work)(start_request)
    app.action(REQUEST_VERIFY, middleware=work)(open_verification)
    app.action(REQUEST_EXTEND, middleware=work)(open_extension)
    app.action(REQUEST_REJECT, middleware=work)(open_rejection)
    app.action(REQUEST_OPEN, middleware=work)(open_details)
    app.action(REQUEST_FILE, middleware=[require(Permission.REQUEST_FILE), person_named])(
        open_request_form_for_person
    )
    app.action(REQUEST_FULFIL, middleware=[require(Permission.REQUEST_WORK)])(
        ack=open_fulfil, lazy=[deliver_access_package]
    )
    app.action(RESTRICTION_LIFT, middleware=[*work, person_named])(lift_restriction)
