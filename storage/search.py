"""Finding persons by name, e-mail or phone number, best hits first.

Names are matched on `persons.search_name` (see storage.models.person_search) through each
backend's trigram index: every query word must occur in the name, a word of one or two
letters at the start of a name word. Hits rank whole words over word starts over
substrings, then the most recently active first. Only when nothing matches does a word of
five letters or more get one letter's slack (substituted, missing or extra) at the start
of a name word; the index finds candidates by pigeonhole (with one edit, one half of the
word is intact) and the exact one-edit patterns decide.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import column, table

from storage import audit
from storage.errors import NotFound
from storage.models import Meeting, Person, PhoneNumber
from storage.models.enums import Purpose
from storage.models.person_search import SEARCH_TABLE, words
from storage.permissions import Permission
from storage.phones import looks_like_phone, to_e164
from storage.staff import StaffMember

MIN_QUERY_LENGTH = 2
TOTAL_CAP = 1000
MIN_TYPO_WORD_LENGTH = 5
# A trigram index can only use a literal of at least three characters.
MIN_INDEXED_LENGTH = 3

persons_search = table(
    SEARCH_TABLE, column("rowid", Integer), column("search_name", String), column("email", String)
)


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


@dataclass(frozen=True)
class _Plan:
    """One way to look a query up: what the text index narrows to, what must hold, the order."""

    indexed: list[list[tuple[str, str]]]  # AND of ORs of (column, substring)
    condition: ColumnElement[bool]
    score: ColumnElement[int]


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
    see_restricted = viewer.can(Permission.PERSON_VIEW_RESTRICTED)
    result = EMPTY
    for plan in _plans(query):
        result = _run(session, plan, see_restricted=see_restricted, limit=limit)
        if result.total:
            break
    if result.hits:
        audit.record_many(
            session=session,
            actor=viewer.slack_user_id,
            action="person.search",
            person_ids=[hit.id for hit in result.hits],
            purpose=purpose.value,
        )
    return result


def find_hit(*, session: Session, viewer: StaffMember, person_id: int) -> PersonHit:
    """One person as a hit; NotFound also when the viewer may not see a restricted person."""
    person = session.get(Person, person_id)
    if person is None or (person.restricted and not viewer.can(Permission.PERSON_VIEW_RESTRICTED)):
        raise NotFound("person")
    return _hits(session, [person_id])[0]


def _plans(query: str) -> list[_Plan]:
    if "@" in query:
        return [_email_plan(query.lower())]
    if looks_like_phone(query):
        return [_phone_plan(to_e164(query))]
    tokens = words(query)
    if not tokens:
        return []
    plans = [_name_plan(tokens)]
    if any(len(token) >= MIN_TYPO_WORD_LENGTH for token in tokens):
        plans.append(_name_plan(tokens, typos=True))
    return plans


_Match = tuple[list[tuple[str, str]], ColumnElement[bool]]


def _name_plan(tokens: Sequence[str], *, typos: bool = False) -> _Plan:
    matches = [
        _within_one_edit(token) if typos and len(token) >= MIN_TYPO_WORD_LENGTH else _exact(token)
        for token in tokens
    ]
    return _Plan(
        indexed=[indexed for indexed, _ in matches if indexed],
        condition=and_(*(condition for _, condition in matches)),
        score=_name_score(tokens),
    )


def _exact(token: str) -> _Match:
    fragment = token if len(token) >= MIN_INDEXED_LENGTH else " " + token
    indexed = [("search_name", fragment)] if len(fragment) >= MIN_INDEXED_LENGTH else []
    return indexed, Person.search_name.like(f"%{fragment}%")


def _within_one_edit(token: str) -> _Match:
    half = len(token) // 2
    indexed = [("search_name", " " + token[:half]), ("search_name", token[half:])]
    patterns = _one_edit(token)
    return indexed, or_(*(Person.search_name.like(f"% {pattern}%") for pattern in patterns))


def _one_edit(token: str) -> list[str]:
    """LIKE patterns for the token with one letter substituted, missing or extra."""
    substituted = [token[:i] + "_" + token[i + 1 :] for i in range(len(token))]
    missing = [token[:i] + "_" + token[i:] for i in range(len(token) + 1)]
    extra = [token[:i] + token[i + 1 :] for i in range(len(token))]
    return list(dict.fromkeys(substituted + missing + extra))


def _name_score(tokens: Sequence[str]) -> ColumnElement[int]:
    name = Person.search_name
    scores = [
        case(
            (name.like(f"% {token} %"), 0),
            (name.like(f"% {token}%"), 1),
            (name.like(f"%{token}%"), 2),
            else_=3,
        )
        for token in tokens
    ]
    total: ColumnElement[int] = scores[0]
    for score in scores[1:]:
        total = total + score
    return total


def _email_plan(address: str) -> _Plan:
    return _Plan(
        indexed=[[("email", address)]] if len(address) >= MIN_INDEXED_LENGTH else [],
        condition=func.lower(Person.email).startswith(address, autoescape=True),
        score=case((func.lower(Person.email) == address, 0), else_=1),
    )


def _phone_plan(number: str | None) -> _Plan:
    if number is None:
        return _Plan(indexed=[], condition=false(), score=literal(0))
    owners = select(PhoneNumber.person_id).where(PhoneNumber.number == number)
    return _Plan(indexed=[], condition=Person.id.in_(owners), score=literal(0))


def _run(session: Session, plan: _Plan, *, see_restricted: bool, limit: int) -> SearchResult:
    condition = and_(plan.condition, _index_condition(session, plan.indexed))
    if not see_restricted:
        condition = and_(condition, Person.restricted.is_(False))
    matching = select(Person.id).where(condition)
    counted = session.scalar(
        select(func.count()).select_from(matching.limit(TOTAL_CAP + 1).subquery())
    )
    total = counted or 0
    if not total:
        return EMPTY
    ranked = matching.order_by(plan.score, Person.last_activity_at.desc(), Person.id).limit(limit)
    hits = _hits(session, list(session.scalars(ranked)))
    return SearchResult(hits=hits, total=min(total, TOTAL_CAP), total_is_capped=total > TOTAL_CAP)


def _index_condition(session: Session, indexed: list[list[tuple[str, str]]]) -> ColumnElement[bool]:
    """The plan's substrings as the backend's text index understands them."""
    if not indexed:
        return true()
    if session.get_bind().dialect.name == "sqlite":
        expression = " AND ".join(
            "(" + " OR ".join(f'{name}:"{_fts_quote(text)}"' for name, text in any_of) + ")"
            for any_of in indexed
        )
        found = select(persons_search.c.rowid).where(column(SEARCH_TABLE).op("MATCH")(expression))
        return Person.id.in_(found)
    columns = {"search_name": Person.search_name, "email": Person.email}
    return and_(
        *(
            or_(*(columns[name].ilike(f"%{_like_escape(text)}%") for name, text in any_of))
            for any_of in indexed
        )
    )


def _like_escape(text: str) -> str:
    """Literal text in a PostgreSQL LIKE pattern, whose default escape is the backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_quote(text: str) -> str:
    return text.replace('"', '""')


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
