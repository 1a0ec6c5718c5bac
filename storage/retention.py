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
from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from storage.models import Person, Relationship
from storage.models.enums import RelationshipKind


@dataclass(frozen=True)
class RetentionPolicy:
    customer_months: int = 36
    member_months: int = 12
    stakeholder_months: int = 24


DEFAULT_POLICY = RetentionPolicy()


def _months_before(today: date, months: int) -> date:
    return today - relativedelta(months=months)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def is_due(today: date, policy: RetentionPolicy = DEFAULT_POLICY) -> ColumnElement[bool]:
    """The condition on `Person` that their retention period has passed on `today`."""
    customer_cutoff = _start_of(_months_before(today, policy.customer_months))
    stakeholder_cutoff = _start_of(_months_before(today, policy.stakeholder_months))
    member_cutoff = _months_before(today, policy.member_months)
    keeps = or_(
        and_(
            Relationship.kind == RelationshipKind.CUSTOMER,
            Person.last_activity_at >= customer_cutoff,
        ),
        and_(
            Relationship.kind == RelationshipKind.STAKEHOLDER,
            Person.last_activity_at >= stakeholder_cutoff,
        ),
        and_(
            Relationship.kind == RelationshipKind.MEMBER,
            or_(Relationship.ended_on.is_(None), Relationship.ended_on > member_cutoff),
        ),
    )
    has_relationship = exists().where(Relationship.person_id == Person.id)
    kept_by_relationship = exists().where(Relationship.person_id == Person.id, keeps)
    on_hold = and_(Person.retention_hold_until.is_not(None), Person.retention_hold_until > today)
    kept_without_relationship = and_(
        not_(has_relationship), Person.last_activity_at >= customer_cutoff
    )
    return and_(not_(on_hold), not_(kept_by_relationship), not_(kept_without_relationship))


def count_due(*, session: Session, today: date, policy: RetentionPolicy = DEFAULT_POLICY) -> int:
    """How many records wait for a retention decision on `today` (the agency's date)."""
    return (
        session.scalar(select(func.count()).select_from(Person).where(is_due(today, policy))) or 0
    )
