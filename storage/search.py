"""Finding persons by name, e-mail or phone number, best hits first."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound
from storage.models import Meeting, Person, PhoneNumber
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.phones import looks_like_phone, to_e164
from storage.staff import StaffMember

MIN_QUERY_LENGTH = 2
TOTAL_CAP = 1000


@dataclass(frozen=True)
class PersonHit:
    id: int
    reference: str
    first_name: str
    last_name: str
    municipality: str | None
    last_meeting_at: datetime | None


@dataclass(frozen=True)
class SearchResult:
    hits: list[PersonHit]
    total: int
    total_is_capped: bool = False

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


EMPTY = SearchResult(hits=[], total=0)


def search_persons(
    *,
    session: Session,
    viewer: StaffMember,
    query: str,
    purpose: Purpose,
    limit: int = 10,
) -> SearchResult:
    """Persons matching a name, an e-mail address or a phone number; one audit row per hit."""
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return EMPTY
    condition = _condition(query)
    if not viewer.can(Permission.PERSON_VIEW_RESTRICTED):
        condition = condition & Person.restricted.is_(False)
    matching = select(Person.id).where(condition)
    counted = session.scalar(
        select(func.count()).select_from(matching.limit(TOTAL_CAP + 1).subquery())
    )
    total = counted or 0
    ids = list(
        session.scalars(matching.order_by(Person.last_activity_at.desc(), Person.id).limit(limit))
    )
    hits = _hits(session, ids)
    if hits:
        audit.record_many(
            session=session,
            actor=viewer.slack_user_id,
            action="person.search",
            person_ids=[hit.id for hit in hits],
            purpose=purpose.value,
        )
    return SearchResult(hits=hits, total=min(total, TOTAL_CAP), total_is_capped=total > TOTAL_CAP)


def find_hit(*, session: Session, viewer: StaffMember, person_id: int) -> PersonHit:
    """One person as a hit; NotFound also when the viewer may not see a restricted person."""
    person = session.get(Person, person_id)
    if person is None or (person.restricted and not viewer.can(Permission.PERSON_VIEW_RESTRICTED)):
        raise NotFound("person")
    return _hits(session, [person_id])[0]


def _condition(query: str) -> ColumnElement[bool]:
    if "@" in query:
        return func.lower(Person.email) == query.lower()
    if looks_like_phone(query):
        number = to_e164(query)
        if number is None:
            return false()
        return Person.id.in_(select(PhoneNumber.person_id).where(PhoneNumber.number == number))
    words = query.lower().split()
    return or_(
        *(
            func.lower(column).contains(word, autoescape=True)
            for word in words
            for column in (Person.first_name, Person.last_name)
        )
    )


def _hits(session: Session, ids: list[int]) -> list[PersonHit]:
    if not ids:
        return []
    last_meeting = (
        select(Meeting.person_id, func.max(Meeting.occurred_at).label("at"))
        .where(Meeting.person_id.in_(ids))
        .group_by(Meeting.person_id)
    )
    meetings = {row.person_id: row.at for row in session.execute(last_meeting)}
    persons = {
        person.id: person for person in session.scalars(select(Person).where(Person.id.in_(ids)))
    }
    return [
        PersonHit(
            id=person.id,
            reference=person.reference,
            first_name=person.first_name,
            last_name=person.last_name,
            municipality=person.municipality,
            last_meeting_at=meetings.get(person.id),
        )
        for person in (persons[person_id] for person_id in ids)
    ]
