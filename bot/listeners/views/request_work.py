"""The submissions of the alert buttons' modals: how the identity was verified, an extension,
a rejection. Each act is taken once; the alerts then show where the request stands."""

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks.request_work import extended_view, extension_refusal, rejected_view
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import (
    EXTENSION_REASON,
    REJECTION_REASON,
    REQUEST_EXTEND_FORM,
    REQUEST_REJECT_FORM,
    REQUEST_VERIFY_FORM,
)
from bot.inputs.request_work import RequestModalMetadata, read_reason, read_verification
from bot.inputs.view_state import FieldErrors
from bot.middleware import require
from bot.request_alerts import refresh_alerts, show_as_it_stands
from storage import requests
from storage.models.enums import RequestStatus
from storage.permissions import Permission
from storage.staff import StaffMember


def _errors(ack: Ack, form: FieldErrors, t: Translator) -> None:
    ack(response_action="errors", errors={name: t(text) for name, text in form.errors.items()})


def save_verification(
    ack: Ack,
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    metadata = RequestModalMetadata.parse(view.get("private_metadata", ""))
    method = read_verification(view["state"]["values"])
    if isinstance(method, FieldErrors):
        _errors(ack, method, t)
        return
    step = requests.verify_identity(
        session=session, actor=staff, request_id=metadata.request_id, method=method
    )
    ack()
    refresh_alerts(session=session, step=step)


def save_extension(
    ack: Ack,
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    metadata = RequestModalMetadata.parse(view.get("private_metadata", ""))
    reason = read_reason(view["state"]["values"], EXTENSION_REASON)
    if isinstance(reason, FieldErrors):
        _errors(ack, reason, t)
        return
    current = requests.get_request(session=session, viewer=staff, request_id=metadata.request_id)
    if not current.is_open:
        ack()
        show_as_it_stands(session=session, request=current)
        return
    refusal = extension_refusal(current, t, today=clock.today())
    if refusal:
        ack(response_action="errors", errors={EXTENSION_REASON: refusal})
        return
    step = requests.extend(
        session=session,
        actor=staff,
        request_id=metadata.request_id,
        reason=reason,
        today=clock.today(),
    )
    ack(response_action="update", view=extended_view(step.request, t))
    refresh_alerts(session=session, step=step)


def save_rejection(
    ack: Ack,
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    metadata = RequestModalMetadata.parse(view.get("private_metadata", ""))
    reason = read_reason(view["state"]["values"], REJECTION_REASON)
    if isinstance(reason, FieldErrors):
        _errors(ack, reason, t)
        return
    step = requests.reject(
        session=session, actor=staff, request_id=metadata.request_id, reason=reason
    )
    if step.request.status is RequestStatus.REJECTED:
        ack(response_action="update", view=rejected_view(step.request, t))
    else:  # completed meanwhile by another controller
        ack()
    refresh_alerts(session=session, step=step)


def register(app: App) -> None:
    work = [require(Permission.REQUEST_WORK)]
    app.view(REQUEST_VERIFY_FORM, middleware=work)(save_verification)
    app.view(REQUEST_EXTEND_FORM, middleware=work)(save_extension)
    app.view(REQUEST_REJECT_FORM, middleware=work)(save_rejection)
