"""How long the register keeps a person, and who has outlived it.

A person is kept while any of their relationships still justifies it: a customer for
`customer_months` after their last activity, a stakeholder for `stakeholder_months` after it,
a member while the membership lasts and `member_months` after it ended. Someone with no
relationship at all is kept as long as a customer would be. A retention hold that runs past
today keeps the record whatever the relationships say. Restricted records count like any other.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta
from sqlalchemy import (
    ColumnElement,
    SQLColumnExpression,
    Subquery,
    and_,
    exists,
    func,
    not_,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session, selectinload

from storage import audit
from storage.erasure import ErasureDone, erase
from storage.errors import InvalidRequest, NotFound, PermissionDenied
from storage.models import Person, Relationship
from storage.models.enums import AuditOutcome, Purpose, RelationshipKind
from storage.permissions import Permission
from storage.staff import StaffMember

HOLD_REASON_MAX_LENGTH = 1000


@dataclass(frozen=True)
class RetentionPolicy:
    customer_months: int = 36
    member_months: int = 12
    stakeholder_months: int = 24

    def __post_init__(self) -> None:
        if min(self.customer_months, self.member_months, self.stakeholder_months) < 1:
            raise ValueError("retention periods are whole months, at least one")


DEFAULT_POLICY = RetentionPolicy()


def _months_before(today: date, months: int) -> date:
    return today - relativedelta(months=months)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _rules(
    today: date,
    policy: RetentionPolicy,
    person_id: SQLColumnExpression[int],
    last_activity_at: SQLColumnExpression[datetime],
    hold_until: SQLColumnExpression[date | None],
) -> ColumnElement[bool]:
    """The rules above, on whatever rows carry a person's id, last activity and hold."""
    customer_cutoff = _start_of(_months_before(today, policy.customer_months))
    stakeholder_cutoff = _start_of(_months_before(today, policy.stakeholder_months))
    member_cutoff = _months_before(today, policy.member_months)
    keeps = or_(
        and_(
            Relationship.kind == RelationshipKind.CUSTOMER,
            last_activity_at >= customer_cutoff,
        ),
        and_(
            Relationship.kind == RelationshipKind.STAKEHOLDER,
            last_activity_at >= stakeholder_cutoff,
        ),
        and_(
            Relationship.kind == RelationshipKind.MEMBER,
            or_(Relationship.ended_on.is_(None), Relationship.ended_on > member_cutoff),
        ),
    )
    has_relationship = exists().where(Relationship.person_id == person_id)
    kept_by_relationship = exists().where(Relationship.person_id == person_id, keeps)
    on_hold = and_(hold_until.is_not(None), hold_until > today)
    kept_without_relationship = and_(not_(has_relationship), last_activity_at >= customer_cutoff)
    return and_(not_(on_hold), not_(kept_by_relationship), not_(kept_without_relationship))


def is_due(today: date, policy: RetentionPolicy = DEFAULT_POLICY) -> ColumnElement[bool]:
    """The condition on `Person` that their retention period has passed on `today`."""
    return _rules(today, policy, Person.id, Person.last_activity_at, Person.retention_hold_until)


def _due_persons(today: date, policy: RetentionPolicy) -> Subquery:
    """The id and last activity of every person due on `today`, without reading every person.

    Only two kinds of person can be due, and an index finds each: the inactive for the shorter
    of the customer and stakeholder periods (persons by last activity, with the hold and the id
    in the index), and members whose membership ended at least the member period ago
    (relationships by kind and end). Anyone active since then is kept by a customer or
    stakeholder relationship, or by having none at all; so if they are due, every relationship
    they have is a membership that no longer keeps them. The rules then apply to those few."""
    shortest = min(policy.customer_months, policy.stakeholder_months)
    columns = (Person.id, Person.last_activity_at, Person.retention_hold_until)
    inactive = select(*columns).where(
        Person.last_activity_at < _start_of(_months_before(today, shortest))
    )
    membership_over = (
        select(*columns)
        .join(Relationship, Relationship.person_id == Person.id)
        .where(
            Relationship.kind == RelationshipKind.MEMBER,
            Relationship.ended_on <= _months_before(today, policy.member_months),
        )
    )
    candidate = union(inactive, membership_over).subquery("candidate")
    rules = _rules(
        today,
        policy,
        candidate.c.id,
        candidate.c.last_activity_at,
        candidate.c.retention_hold_until,
    )
    return select(candidate.c.id, candidate.c.last_activity_at).where(rules).subquery("due")


def count_due(*, session: Session, today: date, policy: RetentionPolicy = DEFAULT_POLICY) -> int:
    """How many records wait for a retention decision on `today` (the agency's date)."""
    due = _due_persons(today, policy)
    return session.scalar(select(func.count()).select_from(due)) or 0


@dataclass(frozen=True)
class RetentionCandidate:
    """A record waiting for a retention decision: nothing in it names the person."""

    person_id: int
    reference: str
    # The relationship whose period ran out last; None for a person without relationships,
    # who is kept as long as a customer would be.
    due_by: RelationshipKind | None
    # The date that period counts from: the last activity, or the end of the membership.
    counted_from: date


def _period_end(
    kind: RelationshipKind | None, person: Person, ended_on: date | None, policy: RetentionPolicy
) -> tuple[date, date]:
    """(the day the period ends, the day it counts from) for one relationship of the person."""
    if kind is RelationshipKind.MEMBER and ended_on is not None:
        return ended_on + relativedelta(months=policy.member_months), ended_on
    last_activity = person.last_activity_at.date()
    months = (
        policy.stakeholder_months
        if kind is RelationshipKind.STAKEHOLDER
        else policy.customer_months
    )
    return last_activity + relativedelta(months=months), last_activity


def _candidate(person: Person, policy: RetentionPolicy) -> RetentionCandidate:
    periods: list[tuple[date, date, RelationshipKind | None]] = [
        (*_period_end(rel.kind, person, rel.ended_on, policy), rel.kind)
        for rel in person.relationships
    ] or [(*_period_end(None, person, None, policy), None)]
    _, counted_from, kind = max(periods, key=lambda period: (period[0], period[1]))
    return RetentionCandidate(
        person_id=person.id, reference=person.reference, due_by=kind, counted_from=counted_from
    )


def due_for_review(
    *,
    session: Session,
    today: date,
    policy: RetentionPolicy = DEFAULT_POLICY,
    limit: int | None = None,
) -> list[RetentionCandidate]:
    """The records due on `today`, longest inactive first (at most `limit`)."""
    due = _due_persons(today, policy)
    first = select(due.c.id).order_by(due.c.last_activity_at, due.c.id).limit(limit)
    query = (
        select(Person)
        .where(Person.id.in_(first))
        .options(selectinload(Person.relationships))
        .order_by(Person.last_activity_at, Person.id)
    )
    return [_candidate(person, policy) for person in session.scalars(query)]


@dataclass(frozen=True)
class DueSummary:
    """How many records are due, and the first of them: what the weekly review posts."""

    count: int
    first: list[RetentionCandidate]


def due_summary(
    *, session: Session, today: date, policy: RetentionPolicy = DEFAULT_POLICY, limit: int
) -> DueSummary:
    """`count_due` and the first `limit` of `due_for_review`, from one pass over the due."""
    due = _due_persons(today, policy)
    rows = session.execute(
        select(due.c.id, func.count().over())
        .order_by(due.c.last_activity_at, due.c.id)
        .limit(limit)
    ).all()
    if not rows:
        return DueSummary(count=0, first=[])
    persons = session.scalars(
        select(Person)
        .where(Person.id.in_([person_id for person_id, _ in rows]))
        .options(selectinload(Person.relationships))
        .order_by(Person.last_activity_at, Person.id)
    )
    return DueSummary(count=rows[0][1], first=[_candidate(person, policy) for person in persons])


def is_person_due(
    *, session: Session, person_id: int, today: date, policy: RetentionPolicy = DEFAULT_POLICY
) -> bool:
    query = select(Person.id).where(Person.id == person_id, is_due(today, policy))
    return session.scalar(query) is not None


def _require(actor: StaffMember) -> None:
    if not actor.can(Permission.RETENTION_DECIDE):
        raise PermissionDenied(Permission.RETENTION_DECIDE.value)


def review(
    *,
    session: Session,
    actor: StaffMember,
    today: date,
    policy: RetentionPolicy = DEFAULT_POLICY,
    limit: int | None = None,
) -> list[RetentionCandidate]:
    """The records due, for a controller to decide on; each one shown is audited."""
    _require(actor)
    candidates = due_for_review(session=session, today=today, policy=policy, limit=limit)
    if candidates:
        audit.record_many(
            session=session,
            actor=actor.slack_user_id,
            action="person.retention_review",
            person_ids=[candidate.person_id for candidate in candidates],
            purpose=Purpose.RETENTION_REVIEW,
        )
    return candidates


def hold(
    *,
    session: Session,
    actor: StaffMember,
    person_id: int,
    until: date,
    reason: str,
    today: date,
) -> None:
    """Keeps the record past its retention period until `until` (after `today`), for `reason`."""
    _require(actor)
    reason = reason.strip()
    if until <= today:
        raise InvalidRequest("hold must end in the future")
    if not reason or len(reason) > HOLD_REASON_MAX_LENGTH:
        raise InvalidRequest("hold needs a reason of at most 1000 characters")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    person.retention_hold_until = until
    person.retention_hold_reason = reason
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.retention_hold",
        person_id=person_id,
        purpose=Purpose.RETENTION_REVIEW,
    )


@dataclass(frozen=True)
class Decision:
    """A controller's decision on one record: erase it, or hold it until a date for a reason."""

    person_id: int
    erase: bool
    hold_until: date | None = None
    hold_reason: str | None = None


@dataclass(frozen=True)
class DecisionsApplied:
    erased: list[ErasureDone]
    held: int
    # Not due under the policy (decided or active since the list was shown, or never due):
    # left alone. The references of those that exist; how many ids named no one.
    refused: list[str]
    refused_unknown: int = 0


def apply_decisions(
    *,
    session: Session,
    actor: StaffMember,
    today: date,
    decisions: list[Decision],
    policy: RetentionPolicy,
) -> DecisionsApplied:
    """Erases (as a request's erasure is recorded, with no request) or holds each record that
    is due under `policy`, which must be the register's own settings, never what a request
    carried. A decision on a record not due is refused, audited, and left as it is."""
    _require(actor)
    erased: list[ErasureDone] = []
    refused: list[str] = []
    held = refused_unknown = 0
    for decision in decisions:
        if not is_person_due(
            session=session, person_id=decision.person_id, today=today, policy=policy
        ):
            reference = session.scalar(
                select(Person.reference).where(Person.id == decision.person_id)
            )
            if reference is None:
                refused_unknown += 1
            else:
                refused.append(reference)
            audit.record(
                session=session,
                actor=actor.slack_user_id,
                action="person.retention_refused",
                person_id=decision.person_id,
                purpose=Purpose.RETENTION_REVIEW,
                outcome=AuditOutcome.DENIED,
            )
        elif decision.erase:
            erased.append(
                erase(
                    session=session,
                    actor=actor,
                    person_id=decision.person_id,
                    request_id=None,
                    purpose=Purpose.RETENTION_REVIEW,
                )
            )
        else:
            hold(
                session=session,
                actor=actor,
                person_id=decision.person_id,
                until=decision.hold_until or today,
                reason=decision.hold_reason or "",
                today=today,
            )
            held += 1
    return DecisionsApplied(
        erased=erased, held=held, refused=refused, refused_unknown=refused_unknown
    )
