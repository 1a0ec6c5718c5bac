"""Restriction of processing (Art 18): the record is kept but only stored, hidden from advisors'
search and cards, until a controller lifts it. Nothing is added to it meanwhile (no meeting is
logged) and nothing of it is disclosed: `refuse_if_restricted` refuses such an act, audited."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage import audit
from storage.errors import InvalidRequest, NotFound, PermissionDenied, PersonRestricted
from storage.models import Person
from storage.models.base import utcnow
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.requests import RecipientView, recipients_to_notify
from storage.staff import StaffMember


@dataclass(frozen=True)
class RestrictionDone:
    person_reference: str
    recipients: list[RecipientView]  # to be told of the restriction or its lifting (Art 19)


def refuse_if_restricted(
    *, session: Session, actor: StaffMember, person: Person, action: str
) -> None:
    """Raises PersonRestricted, audited as a denied `action`, for a restricted person: the act
    would process data that may only be stored (Art 18(2))."""
    if person.restricted:
        refusal = PersonRestricted(actor=actor.slack_user_id, action=action, person_id=person.id)
        audit.record_refusal(session=session, refusal=refusal)
        raise refusal


def _person(session: Session, actor: StaffMember, person_id: int) -> Person:
    if not actor.can(Permission.REQUEST_WORK):
        raise PermissionDenied(Permission.REQUEST_WORK.value)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    return person


def restrict(
    *, session: Session, actor: StaffMember, person_id: int, reason: str, request_id: int | None
) -> RestrictionDone:
    """Flags the person restricted with `reason`; `request_id` is the request it answers."""
    person = _person(session, actor, person_id)
    if person.restricted:
        raise InvalidRequest("already restricted")
    person.restricted = True
    person.restriction_reason = reason
    person.restricted_since = utcnow()
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.restrict",
        person_id=person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST if request_id else Purpose.CUSTOMER_SERVICE,
    )
    return RestrictionDone(
        person.reference, recipients_to_notify(session=session, person_id=person_id)
    )


def lift_restriction(*, session: Session, actor: StaffMember, person_id: int) -> RestrictionDone:
    """The controller's act: the person is processed as before; recipients are told again."""
    person = _person(session, actor, person_id)
    if not person.restricted:
        raise InvalidRequest("not restricted")
    person.restricted = False
    person.restriction_reason = None
    person.restricted_since = None
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.restriction_lift",
        person_id=person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )
    return RestrictionDone(
        person.reference, recipients_to_notify(session=session, person_id=person_id)
    )
