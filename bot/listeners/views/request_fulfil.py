"""The erasure confirmation and the restriction modal submitted: the act, the request closed,
the alerts updated, and the recipients to tell shown to the controller."""

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks.request_fulfil import (
    ERASED_RESOLUTION,
    RESTRICTED_RESOLUTION,
    done_view,
)
from bot.i18n import Translator
from bot.ids import REQUEST_ERASURE_FORM, REQUEST_RESTRICTION_FORM
from bot.inputs.request_fulfil import read_restriction_reason
from bot.inputs.request_work import RequestModalMetadata
from bot.inputs.view_state import FieldErrors
from bot.middleware import require
from bot.request_fulfilment import check_can_fulfil, close_request
from storage import erasure, requests, restriction
from storage.permissions import Permission
from storage.staff import StaffMember


def erase_person(
    ack: Ack,
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    metadata = RequestModalMetadata.parse(view.get("private_metadata", ""))
    request = requests.get_request(session=session, viewer=staff, request_id=metadata.request_id)
    person_id = check_can_fulfil(request)
    done = erasure.erase(session=session, actor=staff, person_id=person_id, request_id=request.id)
    resolution = t(ERASED_RESOLUTION, erasure=done.erasure_id)
    closed = close_request(
        session=session, staff=staff, request_id=request.id, resolution=resolution
    )
    ack(response_action="update", view=done_view(closed.request, resolution, done.recipients, t))


def restrict_person(
    ack: Ack,
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    metadata = RequestModalMetadata.parse(view.get("private_metadata", ""))
    reason = read_restriction_reason((view.get("state") or {}).get("values", {}))
    if isinstance(reason, FieldErrors):
        ack(response_action="errors", errors={k: t(v) for k, v in reason.errors.items()})
        return
    request = requests.get_request(session=session, viewer=staff, request_id=metadata.request_id)
    person_id = check_can_fulfil(request)
    done = restriction.restrict(
        session=session, actor=staff, person_id=person_id, reason=reason, request_id=request.id
    )
    resolution = t(RESTRICTED_RESOLUTION)
    closed = close_request(
        session=session, staff=staff, request_id=request.id, resolution=resolution
    )
    ack(response_action="update", view=done_view(closed.request, resolution, done.recipients, t))


def register(app: App) -> None:
    app.view(REQUEST_ERASURE_FORM, middleware=[require(Permission.REQUEST_WORK)])(erase_person)
    app.view(REQUEST_RESTRICTION_FORM, middleware=[require(Permission.REQUEST_WORK)])(
        restrict_person
    )
