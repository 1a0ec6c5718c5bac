"""The buttons of a controller's request alert: start, verify, extend, reject, and the
details the alert leaves out.

A button whose act has already been done (a second click, or another controller first) acts
no more: the alerts are refreshed to show where the request stands. `request_fulfil` is
registered by the fulfilment listeners.

The `request_file` button on a card (value: a person id): the request form, the person
chosen. Pushed on top of the card, so closing it returns there.

The `request_fulfil` button on a controller's alert, by the request's kind.

Rectification opens the person's edit form, erasure its confirmation, restriction a modal for
the reason, objection a modal for what it is to and the decision: each within the three seconds
a trigger lives. Access and portability fulfil the request after the acknowledgement, in a lazy
listener, and the files go to the controller's direct message through the outbox. The
`restriction_lift` button on a restricted person's card lifts a restriction: the card says so,
with the recipients to tell.

Once fulfilled, the `request_answered` button records how the answer reached the requester,
which completes the request."""

import secrets
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
    PORTABILITY_RESOLUTION,
    answer_view,
    erasure_view,
    erasure_waits_view,
    extend_view,
    extension_refusal,
    is_verified,
    not_extendable_view,
    objection_view,
    reject_view,
    restriction_view,
    verify_view,
)
from bot.requests.alerts import refresh_alerts
from bot.requests.blocks import request_details_view, request_form_view
from bot.requests.fulfil import check_can_fulfil, close_request
from bot.requests.inputs import RequestButton, RequestFormMetadata
from bot.requests.named import for_open_request, named_request
from bot.requests.recipients import lifted_notice, send_rest_as_file
from bot.slack.clock import AgencyClock
from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_, Translator
from bot.slack.ids import (
    REQUEST_ANSWERED,
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
from storage import access_package, erasure, outbox, persons, portability, requests, restriction
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
    view = request_form_view(t, metadata=metadata, person=person)
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
    if request.kind in PACKAGES:
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
        others = requests.other_open_requests(
            session=session, person_id=person_id, request_id=request.id
        )
        if others:
            view = erasure_waits_view(request, others, t)
        else:
            plan = erasure.erasure_plan(session=session, actor=staff, person_id=person_id)
            view = erasure_view(request, plan, t)
    elif request.kind is RequestKind.OBJECTION:
        view = objection_view(request, t)
    else:
        view = restriction_view(request, t)
    client.views_open(trigger_id=body["trigger_id"], view=view)


# The kinds whose fulfilment is files for the controller's direct message: the outbox kind,
# the key's prefix, and the resolution.
PACKAGES = {
    RequestKind.ACCESS: (OutboxKind.ACCESS_PACKAGE, "access-package", PACKAGE_RESOLUTION),
    RequestKind.PORTABILITY: (
        OutboxKind.PORTABILITY_PACKAGE,
        "portability-package",
        PORTABILITY_RESOLUTION,
    ),
}
NOTHING_PORTABLE = N_(
    "Nothing about this person is processed on consent or contract, so the right to data "
    "portability does not apply (Art 20(1)). Reject the request saying so; the person can "
    "still ask for a copy of their data (access)."
)


def deliver_package(
    body: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """Runs after the acknowledgement: fulfils an access or portability request once and puts
    its files for the controller's direct message in the outbox; they are built, in the
    requester's language, and uploaded when delivered (right after the commit, or by the clock
    after an outage)."""
    request = named_request(session=session, staff=staff, body=body)
    if request.kind not in PACKAGES:
        return
    outbox_kind, key, resolution = PACKAGES[request.kind]
    person_id = check_can_fulfil(request)
    if request.kind is RequestKind.PORTABILITY and not portability.is_portable(
        session=session, person_id=person_id
    ):
        raise UserInputError(NOTHING_PORTABLE)
    close_request(session=session, staff=staff, request_id=request.id, resolution=t(resolution))
    if request.kind is RequestKind.ACCESS:
        access_package.record_access_package(session=session, actor=staff, person_id=person_id)
    else:
        portability.record_portability_package(session=session, actor=staff, person_id=person_id)
    outbox.enqueue(
        session=session,
        key=f"{key}:{request.id}:{staff.slack_user_id}",
        kind=outbox_kind,
        recipient=staff.slack_user_id,
        request_id=request.id,
    )


@for_open_request(lambda request: request.awaits_answer)
def open_answer(
    body: dict[str, Any],
    client: WebClient,
    request: RequestView,
    t: Translator,
    clock: AgencyClock,
) -> None:
    client.views_open(
        trigger_id=body["trigger_id"], view=answer_view(request, t, today=clock.today())
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
    """The card, updated, says the restriction is lifted and lists the recipients to tell; those
    it cannot list come to the controller's direct message as a file."""
    ack()
    done = restriction.lift_restriction(session=session, actor=staff, person_id=person_id)
    send_rest_as_file(
        session=session,
        controller=staff.slack_user_id,
        key=f"restriction-lift:{person_id}:{secrets.token_hex(8)}",
        reference=done.person_reference,
        recipients=done.recipients,
    )
    card = persons.person_card(
        session=session,
        viewer=staff,
        person_id=person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )
    view = person_card_view(card, t, disclose=True, notice=lifted_notice(done.recipients, t))
    shown = modal_of(body)
    if shown:
        client.views_update(view_id=shown["id"], hash=shown.get("hash"), view=view)
    else:
        show_modal(body, client, view)


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
        ack=open_fulfil, lazy=[deliver_package]
    )
    app.action(REQUEST_ANSWERED, middleware=work)(open_answer)
    app.action(RESTRICTION_LIFT, middleware=[*work, person_named])(lift_restriction)
