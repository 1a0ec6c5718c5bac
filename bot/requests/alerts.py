"""Each controller's direct message about a data-subject request: posted when the request is
filed, updated in place as it moves, so it always shows where the request stands; and the
filer told when it is resolved.

Each goes through the outbox, in the transaction of the step it tells of, and is rendered when
it is delivered: a message delayed by a Slack outage shows the request as it stands by then.
"""

import secrets

from sqlalchemy.orm import Session

from storage import outbox, requests
from storage import staff as staff_store
from storage.enums import OutboxKind
from storage.requests import RequestView, Transition


def send_alerts(*, session: Session, request: RequestView) -> int:
    """A direct message to every active controller about a new request; how many are told."""
    controllers = requests.active_controllers(session=session)
    for controller in controllers:
        outbox.enqueue(
            session=session,
            key=f"request-alert:{request.id}:{controller.slack_user_id}",
            kind=OutboxKind.REQUEST_ALERT,
            recipient=controller.slack_user_id,
            request_id=request.id,
        )
    return len(controllers)


def confirm_filing(
    *, session: Session, request: RequestView, filer: str, response_url: str | None, alerted: bool
) -> None:
    """The filer told, privately, that the request is filed and when it is due."""
    outbox.enqueue(
        session=session,
        key=f"filing-confirmation:{request.id}",
        kind=OutboxKind.FILING_CONFIRMATION,
        recipient=filer,
        request_id=request.id,
        params={"response_url": response_url, "alerted": alerted},
    )


def refresh_alerts(*, session: Session, step: Transition) -> None:
    """Updates every controller's alert to show the request as the step left it, and tells the
    filer once the request is closed (rejected, or its answer delivered). A step that changed
    nothing (a second click) only updates the messages.

    An update is rendered when it is delivered, so one not yet tried already covers this
    step: no second one is put in beside it."""
    request = step.request
    delivered = [
        a.slack_user_id for a in requests.alerts_for(session=session, request_id=request.id)
    ]
    queued = outbox.recipients_of(
        session=session, kind=OutboxKind.REQUEST_ALERT, request_id=request.id
    )
    for recipient in dict.fromkeys(delivered + queued):
        if outbox.has_pending(
            session=session,
            kind=OutboxKind.REQUEST_UPDATE,
            request_id=request.id,
            recipient=recipient,
            untried=True,
        ):
            continue
        outbox.enqueue(
            session=session,
            key=f"request-update:{request.id}:{recipient}:{secrets.token_hex(8)}",
            kind=OutboxKind.REQUEST_UPDATE,
            recipient=recipient,
            request_id=request.id,
        )
    if step.changed and request.is_closed:
        tell_filer(session=session, request=request)


def show_as_it_stands(*, session: Session, request: RequestView) -> None:
    """The alerts refreshed, nothing done: the button's act no longer applies."""
    refresh_alerts(session=session, step=Transition(request=request, changed=False))


def tell_filer(*, session: Session, request: RequestView) -> None:
    """A direct message to the staff member who filed the request, that it is resolved."""
    if request.filed_by is None:
        return
    filer = staff_store.find(session=session, slack_user_id=request.filed_by)
    if filer is None or not filer.active:
        return
    outbox.enqueue(
        session=session,
        key=f"filer-outcome:{request.id}:{filer.slack_user_id}",
        kind=OutboxKind.FILER_OUTCOME,
        recipient=filer.slack_user_id,
        request_id=request.id,
    )
