"""The data-subject request modal's submission: filed, the controllers alerted, the filer
told the due date privately.

The submissions of the alert buttons' modals: how the identity was verified, an extension,
a rejection. Each act is taken once; the alerts then show where the request stands.

The erasure confirmation, the restriction and objection modals submitted: the act, the request
fulfilled, the alerts updated, and the recipients to tell shown to the controller. The answer's
delivery recorded: the request completed, the filer told."""

from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.models.blocks import Option, PlainTextObject
from sqlalchemy.orm import Session

from bot.requests.alert_blocks import (
    ERASED_RESOLUTION,
    MARKETING_OBJECTION_RESOLUTION,
    OBJECTION_UPHELD_RESOLUTION,
    RESTRICTED_RESOLUTION,
    done_view,
    erasure_waits_view,
    extended_view,
    extension_refusal,
    fulfilled_view,
    rejected_view,
)
from bot.requests.alerts import confirm_filing, refresh_alerts, send_alerts
from bot.requests.blocks import request_form_view
from bot.requests.fulfil import check_can_fulfil, close_telling_recipients
from bot.requests.inputs import (
    ObjectionDecision,
    RequestFormMetadata,
    RequestModalMetadata,
    files_anyway,
    person_choice,
    read_answer,
    read_objection,
    read_reason,
    read_request_form,
    read_restriction_reason,
    read_verification,
)
from bot.requests.named import named_request, open_request
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.ids import (
    EXTENSION_REASON,
    REJECTION_REASON,
    REQUEST_ANSWER_FORM,
    REQUEST_ERASURE_FORM,
    REQUEST_EXTEND_FORM,
    REQUEST_FORM,
    REQUEST_OBJECTION_FORM,
    REQUEST_REJECT_FORM,
    REQUEST_RESTRICTION_FORM,
    REQUEST_VERIFY_FORM,
)
from bot.slack.inputs.view_state import InvalidForm
from bot.slack.middleware import require
from bot.slack.text import format_date
from storage import erasure, requests, restriction
from storage.enums import ObjectionScope, RequestStatus
from storage.permissions import Permission
from storage.requests import file_request_once, filing_warnings
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
    values = view["state"]["values"]
    form = read_request_form(values, today=clock.today())
    filing = replace(form, filing_key=metadata.filing_key)
    if not files_anyway(values):
        warnings = filing_warnings(session=session, actor=staff, filing=filing, today=clock.today())
        if warnings:
            shown = person_choice(values)
            again = request_form_view(
                t,
                metadata=metadata,
                filed=filing,
                person_choice=_option_of(shown) if shown else None,
                warnings=warnings,
            )
            ack(response_action="update", view=again)
            return
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


def _option_of(sent: dict[str, Any]) -> Option:
    """The option Slack sent back, to show it again as chosen."""
    label = (sent.get("text") or {}).get("text") or str(sent.get("value"))
    return Option(value=str(sent.get("value")), text=PlainTextObject(text=label, emoji=False))


def save_verification(
    ack: Ack,
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    metadata = RequestModalMetadata.parse(view.get("private_metadata", ""))
    method = read_verification(view["state"]["values"])
    step = requests.verify_identity(
        session=session, actor=staff, request_id=metadata.request_id, method=method
    )
    ack()
    refresh_alerts(session=session, step=step)


def save_extension(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    metadata = RequestModalMetadata.parse(view.get("private_metadata", ""))
    reason = read_reason(view["state"]["values"], EXTENSION_REASON)
    current = open_request(session=session, staff=staff, body=body)
    if current is None:
        ack()
        return
    refusal = extension_refusal(current, today=clock.today(), language=t.language)
    if refusal:
        raise InvalidForm({EXTENSION_REASON: refusal})
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
    step = requests.reject(
        session=session, actor=staff, request_id=metadata.request_id, reason=reason
    )
    if step.request.status is RequestStatus.REJECTED:
        ack(response_action="update", view=rejected_view(step.request, t))
    else:  # completed meanwhile by another controller
        ack()
    refresh_alerts(session=session, step=step)


def erase_person(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    request = named_request(session=session, staff=staff, body=body)
    person_id = check_can_fulfil(request)
    others = requests.other_open_requests(
        session=session, person_id=person_id, request_id=request.id
    )
    if others:  # filed since the confirmation was opened
        ack(response_action="update", view=erasure_waits_view(request, others, t))
        return
    done = erasure.erase(session=session, actor=staff, person_id=person_id, request_id=request.id)
    resolution = t(ERASED_RESOLUTION, erasure=done.erasure_id)
    closed = close_telling_recipients(
        session=session,
        staff=staff,
        request_id=request.id,
        resolution=resolution,
        key=f"erasure:{done.erasure_id}",
        reference=done.person_reference,
        recipients=done.recipients,
    )
    ack(response_action="update", view=done_view(closed, resolution, done.recipients, t))


def restrict_person(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    reason = read_restriction_reason((view.get("state") or {}).get("values", {}))
    request = named_request(session=session, staff=staff, body=body)
    person_id = check_can_fulfil(request)
    done = restriction.restrict(
        session=session, actor=staff, person_id=person_id, reason=reason, request_id=request.id
    )
    resolution = t(RESTRICTED_RESOLUTION)
    closed = close_telling_recipients(
        session=session,
        staff=staff,
        request_id=request.id,
        resolution=resolution,
        key=f"restriction:{request.id}",
        reference=done.person_reference,
        recipients=done.recipients,
    )
    ack(response_action="update", view=done_view(closed, resolution, done.recipients, t))


def decide_objection(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    """Direct marketing: the objection takes effect at once. Other processing: upheld, the
    request is fulfilled with the reasons kept; refused, it is rejected with them, and the
    reply states the right to complain."""
    form = read_objection((view.get("state") or {}).get("values", {}))
    request = named_request(session=session, staff=staff, body=body)
    check_can_fulfil(request)
    if form.scope is ObjectionScope.DIRECT_MARKETING:
        today = clock.today()
        resolution = t(MARKETING_OBJECTION_RESOLUTION, date=format_date(today, t.language))
        step = requests.uphold_marketing_objection(
            session=session, actor=staff, request_id=request.id, resolution=resolution, today=today
        )
    elif form.decision is ObjectionDecision.UPHOLD:
        step = requests.fulfil(
            session=session,
            actor=staff,
            request_id=request.id,
            resolution=t(OBJECTION_UPHELD_RESOLUTION, reasons=form.reasons),
            objection_scope=form.scope,
        )
    else:
        step = requests.reject(
            session=session, actor=staff, request_id=request.id, reason=form.reasons or ""
        )
    if not step.changed:
        ack()
    elif step.request.status is RequestStatus.REJECTED:
        ack(response_action="update", view=rejected_view(step.request, t))
    else:
        ack(response_action="update", view=fulfilled_view(step.request, t))
    refresh_alerts(session=session, step=step)


def record_answer(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    current = open_request(
        session=session, staff=staff, body=body, acts_on=lambda request: request.awaits_answer
    )
    if current is None:
        ack()
        return
    delivery, answered_on = read_answer(
        (view.get("state") or {}).get("values", {}),
        received_on=current.received_on,
        today=clock.today(),
    )
    step = requests.record_answer(
        session=session,
        actor=staff,
        request_id=current.id,
        delivery=delivery,
        answered_on=answered_on,
        today=clock.today(),
    )
    ack()
    refresh_alerts(session=session, step=step)


def register(app: App) -> None:
    app.view(REQUEST_FORM, middleware=[require(Permission.REQUEST_FILE)])(save_request)
    work = [require(Permission.REQUEST_WORK)]
    app.view(REQUEST_VERIFY_FORM, middleware=work)(save_verification)
    app.view(REQUEST_EXTEND_FORM, middleware=work)(save_extension)
    app.view(REQUEST_REJECT_FORM, middleware=work)(save_rejection)
    app.view(REQUEST_ERASURE_FORM, middleware=[require(Permission.REQUEST_WORK)])(erase_person)
    app.view(REQUEST_RESTRICTION_FORM, middleware=[require(Permission.REQUEST_WORK)])(
        restrict_person
    )
    app.view(REQUEST_OBJECTION_FORM, middleware=work)(decide_objection)
    app.view(REQUEST_ANSWER_FORM, middleware=work)(record_answer)
