"""What every kind of fulfilment shares: the request it may act on, and marking it fulfilled,
the controllers' alerts updated. It closes, and the filer is told, when the contact person
records that the answer reached the requester."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.customers.fields import data_labels
from bot.requests.alert_blocks import NOTHING_RECTIFIED, RECTIFIED_RESOLUTION
from bot.requests.alerts import refresh_alerts
from bot.requests.recipients import send_rest_as_file
from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_, Translator
from storage import outbox, requests
from storage.enums import OutboxKind
from storage.requests import RecipientView, RequestView, Transition
from storage.staff import StaffMember

NOT_OPEN = N_("That request has already been resolved.")
NOT_VERIFIED = N_("Record how the requester's identity was verified before fulfilling it.")
NO_PERSON = N_(
    "The request names no person in the register, so there is nothing to fulfil: if the "
    "register holds nothing about the requester, reject it saying so."
)


def check_can_fulfil(request: RequestView) -> int:
    """The id of the person the request is about, if it may be fulfilled now."""
    if not request.is_open:
        raise UserInputError(NOT_OPEN)
    if request.identity_verified_at is None:
        raise UserInputError(NOT_VERIFIED)
    if request.person_id is None:
        raise UserInputError(NO_PERSON)
    return request.person_id


def close_request(
    *, session: Session, staff: StaffMember, request_id: int, resolution: str
) -> Transition:
    """Fulfils the request once (a second click finds it done and changes nothing), then
    updates every controller's alert; what is left is to record the answer's delivery."""
    transition = requests.fulfil(
        session=session, actor=staff, request_id=request_id, resolution=resolution
    )
    if not transition.changed:
        raise UserInputError(NOT_OPEN)
    refresh_alerts(session=session, step=transition)
    return transition


def close_telling_recipients(
    *,
    session: Session,
    staff: StaffMember,
    request_id: int,
    resolution: str,
    key: str,
    reference: str,
    recipients: Sequence[RecipientView],
) -> RequestView:
    """Fulfils an erasure's or a restriction's request; the recipients to tell that its done
    modal cannot list go to the contact person as a file."""
    closed = close_request(
        session=session, staff=staff, request_id=request_id, resolution=resolution
    )
    send_rest_as_file(
        session=session,
        controller=staff.slack_user_id,
        key=key,
        reference=reference,
        recipients=recipients,
        request_id=request_id,
    )
    return closed.request


def finish_rectification(
    *,
    session: Session,
    staff: StaffMember,
    t: Translator,
    request_id: int,
    person_id: int,
    changed: Sequence[str],
) -> None:
    """The edit fulfils the request: closed with the fields changed as its resolution, and the
    recipients to tell of it listed to the controller by direct message (through the outbox)."""
    resolution = (
        t(RECTIFIED_RESOLUTION, fields=data_labels(changed, t)) if changed else t(NOTHING_RECTIFIED)
    )
    close_request(session=session, staff=staff, request_id=request_id, resolution=resolution)
    recipients = requests.recipients_to_notify(session=session, person_id=person_id)
    if changed and recipients:
        outbox.enqueue(
            session=session,
            key=f"recipients-to-tell:{request_id}:{staff.slack_user_id}",
            kind=OutboxKind.RECIPIENTS_TO_TELL,
            recipient=staff.slack_user_id,
            request_id=request_id,
        )
