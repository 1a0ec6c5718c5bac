"""The `request_fulfil` button on a controller's alert, by the request's kind.

Rectification opens the person's edit form, erasure its confirmation, restriction a modal for
the reason: each within the three seconds a trigger lives. Access closes the request after the
acknowledgement, in a lazy listener, and the copy of the data goes to the controller's direct
message through the outbox. The `restriction_lift` button on a restricted person's card lifts a
restriction.
"""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.request_fulfil import PACKAGE_RESOLUTION, erasure_view, restriction_view
from bot.customers.card import person_card_view
from bot.customers.form import person_form_view, values_of
from bot.customers.form_inputs import FormMetadata
from bot.customers.inputs import PersonButton
from bot.i18n import Translator
from bot.ids import REQUEST_FULFIL, RESTRICTION_LIFT
from bot.middleware import require
from bot.modals import modal_of
from bot.request_fulfilment import check_can_fulfil, close_request, requested
from storage import access_package, erasure, outbox, persons, restriction
from storage.models.enums import OutboxKind, Purpose, RequestKind
from storage.permissions import Permission
from storage.staff import StaffMember


def open_fulfil(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    request = requested(session=session, staff=staff, value=action.get("value"))
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
    action: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """Runs after the acknowledgement: closes the request once and puts the package for the
    controller's direct message in the outbox; it is built, in the requester's language, and
    uploaded when it is delivered (right after the commit, or by the clock after an outage)."""
    request = requested(session=session, staff=staff, value=action.get("value"))
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
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    button = PersonButton.parse(action.get("value"))
    restriction.lift_restriction(session=session, actor=staff, person_id=button.person_id)
    card = persons.person_card(
        session=session,
        viewer=staff,
        person_id=button.person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )
    view = modal_of(body)
    if view:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=person_card_view(card, t)
        )


def register(app: App) -> None:
    app.action(REQUEST_FULFIL, middleware=[require(Permission.REQUEST_WORK)])(
        ack=open_fulfil, lazy=[deliver_access_package]
    )
    app.action(RESTRICTION_LIFT, middleware=[require(Permission.REQUEST_WORK)])(lift_restriction)
