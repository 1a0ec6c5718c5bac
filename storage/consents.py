"""A person's consents, given and withdrawn, each with its date; an objection to direct
marketing (Art 21(3)) is a withdrawn marketing consent.

Each act is a row: giving opens one, withdrawing closes the open one (or, with none open,
records the refusal as a row given and withdrawn on the same date), so withdrawing is one
act, as easy as giving. A purpose's state is its latest row.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound, PermissionDenied
from storage.models import Consent, Person
from storage.models.enums import ConsentPurpose, Purpose
from storage.permissions import Permission
from storage.staff import StaffMember


@dataclass(frozen=True)
class ConsentView:
    purpose: ConsentPurpose
    given_on: date | None
    withdrawn_on: date | None

    @property
    def in_force(self) -> bool:
        return self.given_on is not None and self.withdrawn_on is None


@dataclass(frozen=True)
class GivenConsent:
    """A consent recorded with the person form: what it is for and the day it was given."""

    purpose: ConsentPurpose
    given_on: date


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def _latest(session: Session, person_id: int, purpose: ConsentPurpose) -> Consent | None:
    return session.scalar(
        select(Consent)
        .where(Consent.person_id == person_id, Consent.purpose == purpose)
        .order_by(func.coalesce(Consent.withdrawn_at, Consent.given_at).desc(), Consent.id.desc())
        .limit(1)
    )


def record_consent(
    *,
    session: Session,
    actor: StaffMember,
    person_id: int,
    purpose: ConsentPurpose,
    given: bool,
    on: date,
) -> ConsentView:
    """Records `purpose` given (`given=True`) or withdrawn on the date `on`."""
    if not actor.can(Permission.PERSON_EDIT):
        raise PermissionDenied(Permission.PERSON_EDIT.value)
    person = session.get(Person, person_id)
    if person is None or (person.restricted and not actor.can(Permission.PERSON_VIEW_RESTRICTED)):
        raise NotFound("person")
    latest = _latest(session, person_id, purpose)
    if given:
        if latest is None or latest.withdrawn_at is not None:
            session.add(Consent(person_id=person_id, purpose=purpose, given_at=_at(on)))
    elif latest is not None and latest.withdrawn_at is None:
        latest.withdrawn_at = max(_at(on), latest.given_at)
    else:
        session.add(
            Consent(person_id=person_id, purpose=purpose, given_at=_at(on), withdrawn_at=_at(on))
        )
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="consent.give" if given else "consent.withdraw",
        person_id=person_id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    return consent_state(session=session, person_id=person_id, purpose=purpose)


def object_to_marketing(
    *, session: Session, actor: StaffMember, person_id: int, on: date
) -> ConsentView:
    """The person objects to direct marketing (Art 21(3)) from the date `on`."""
    return record_consent(
        session=session,
        actor=actor,
        person_id=person_id,
        purpose=ConsentPurpose.MARKETING,
        given=False,
        on=on,
    )


def consent_state(*, session: Session, person_id: int, purpose: ConsentPurpose) -> ConsentView:
    row = _latest(session, person_id, purpose)
    if row is None:
        return ConsentView(purpose, None, None)
    return ConsentView(purpose, _day(row.given_at), _day(row.withdrawn_at))


def consents_of(*, session: Session, person_id: int) -> list[ConsentView]:
    """Every purpose, in the enum's order, with its latest state (no dates: never asked)."""
    return [
        consent_state(session=session, person_id=person_id, purpose=purpose)
        for purpose in ConsentPurpose
    ]


def withdrawn(purpose: ConsentPurpose) -> ColumnElement[bool]:
    """True for a person who withdrew `purpose` (or objected to it) and has not given it since,
    in a query over persons."""
    return select(Consent.id).where(
        Consent.person_id == Person.id,
        Consent.purpose == purpose,
        Consent.withdrawn_at.is_not(None),
    ).exists() & ~in_force(purpose)


def in_force(purpose: ConsentPurpose) -> ColumnElement[bool]:
    """True for a person with a `purpose` consent given and not withdrawn."""
    return (
        select(Consent.id)
        .where(
            Consent.person_id == Person.id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
        )
        .exists()
    )


def any_in_force(*, session: Session, person_id: int) -> bool:
    """Whether the person has given a consent, for any purpose, and not withdrawn it."""
    query = select(Consent.id).where(Consent.person_id == person_id, Consent.withdrawn_at.is_(None))
    return session.scalar(query.limit(1)) is not None
