"""The `request_fulfil` button on a controller's alert, by the request's kind.

Rectification opens the person's edit form, erasure its confirmation, restriction a modal for
the reason: each within the three seconds a trigger lives. Access builds the copy of the data
after the acknowledgement, in a lazy listener, and uploads it to the controller's direct
message. The `restriction_lift` button on a restricted person's card lifts a restriction.
"""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.person_card import person_card_view
from bot.blocks.person_form import person_form_view, values_of
from bot.blocks.request_fulfil import (
    PACKAGE_COMMENT,
    PACKAGE_RESOLUTION,
    erasure_view,
    restriction_view,
)
from bot.i18n import Translator
from bot.ids import REQUEST_FULFIL, RESTRICTION_LIFT
from bot.inputs.person_button import PersonButton
from bot.inputs.person_form import FormMetadata
from bot.middleware import require
from bot.modals import modal_of
from bot.request_fulfilment import check_fulfillable, close_request, requested
from storage import access_package, erasure, persons, requests, restriction
from storage.models.enums import Purpose, RequestKind
from storage.permissions import Permission
from storage.staff import StaffMember


def open_fulfilment(
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
    person_id = check_fulfillable(request)
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
    client: WebClient,
    context: BoltContext,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """Runs after the acknowledgement: closes the request once, builds the package in the
    requester's language and uploads both files to the controller's direct message."""
    request = requested(session=session, staff=staff, value=action.get("value"))
    if request.kind is not RequestKind.ACCESS:
        return
    person_id = check_fulfillable(request)
    close_request(
        client,
        session=session,
        staff=staff,
        request_id=request.id,
        resolution=t(PACKAGE_RESOLUTION),
        default_language=context["default_language"],
    )
    package = access_package.build_access_package(
        session=session, actor=staff, person_id=person_id, language=request.language
    )
    name = f"{package.person_reference}-{package.generated_at:%Y%m%d}"
    comment = t(PACKAGE_COMMENT, number=request.id, reference=package.person_reference)
    channel = _alert_channel(session=session, request_id=request.id, staff=staff)
    if channel is None:
        channel = client.chat_postMessage(channel=staff.slack_user_id, text=comment)["channel"]
    client.files_upload_v2(
        channel=channel,
        initial_comment=comment,
        file_uploads=[
            {
                "content": access_package.to_json(package),
                "filename": f"{name}.json",
                "title": f"{name}.json",
            },
            {
                "content": access_package.to_html(package),
                "filename": f"{name}.html",
                "title": f"{name}.html",
            },
        ],
    )


def _alert_channel(*, session: Session, request_id: int, staff: StaffMember) -> str | None:
    """The controller's direct message with the bot, where their alert about the request is."""
    for alert in requests.alerts_for(session=session, request_id=request_id):
        if alert.slack_user_id == staff.slack_user_id:
            return alert.channel_id
    return None


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
        ack=open_fulfilment, lazy=[deliver_access_package]
    )
    app.action(RESTRICTION_LIFT, middleware=[require(Permission.REQUEST_WORK)])(lift_restriction)
