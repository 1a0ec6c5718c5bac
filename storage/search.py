"""Finding persons by name, e-mail, phone number or public reference, best hits first.

Names are matched on `persons.search_name` (see storage.models.person_search): every query
word must occur in the name, a word of one or two letters at the start of a name word. Hits
rank whole words over word starts over substrings, then the most recently active first. The
look-up goes tier by tier (every word at a word start, then anywhere), and within a tier
reads only the hits it shows and at most TOTAL_CAP + 1 entries to count them.

Word starts come from the search terms (each word's starts and each whole word, in order of
last activity), so for a one-word query the hits are read straight off the index in rank
order: whole words, then other word starts. A query of several words reads the word starts
of its longest word and ranks them. A word anywhere else in a name goes through each
backend's trigram index.

Every statement names the session's agency: a search draws only on its own agency's persons,
terms and words (storage.tenancy). The statements built once name it as a bind parameter.

Only when nothing matches may one word of five letters or more carry one typo (a letter
substituted, missing or extra): first as a whole name word, and if that finds nothing
either, as the start of one. By pigeonhole, with one edit some parts of the word stay
intact: the index finds the names holding them, and the LIKE patterns of the edits that
leave those parts intact decide.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import column, table

from storage import audit, search_words
from storage.errors import NotFound, SearchTooLong
from storage.models import Meeting, Person, PhoneNumber
from storage.models.base import table_of
from storage.models.enums import Purpose
from storage.models.person_search import SEARCH_TABLE, words
from storage.permissions import Permission
from storage.phones import looks_like_phone, to_e164
from storage.staff import StaffMember
from storage.tenancy import its_agency, of_the_agency

MIN_QUERY_LENGTH = 2
# The longest search taken: every word adds index look-ups, and a long word hundreds of typo
# patterns, so a longer text only costs time (a name, an e-mail or a phone number fits).
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 6
TOTAL_CAP = 1000
MIN_TYPO_WORD_LENGTH = 5
MIN_INDEXED_LENGTH = search_words.MIN_INDEXED_LENGTH
# A person's public reference, e.g. R-7K3Q9: what channel messages show instead of a name.
REFERENCE = re.compile(r"[A-Za-z]-[0-9A-Za-z]{3,10}")

persons_search = table(SEARCH_TABLE, column("rowid", Integer), column("search_name", String))
RECENT_FIRST = search_words.RECENT_FIRST


@dataclass(frozen=True)
class PersonHit:
    id: int
    reference: str
    first_name: str
    last_name: str
    municipality: str | None
    last_meeting_at: datetime | None
    restricted: bool = False  # Art 18: only a controller sees such a person


@dataclass(frozen=True)
class SearchResult:
    hits: list[PersonHit]
    total: int
    total_is_capped: bool = False
    offset: int = 0  # hits ranked before these, on earlier pages

    @property
    def more(self) -> int:
        """Matches ranked after these."""
        return max(0, self.total - self.offset - len(self.hits))


EMPTY = SearchResult(hits=[], total=0)


@dataclass(frozen=True)
class _Queries:
    """A tier's statements for one viewer: `ranked` read best first, each up to :limit rows;
    `count` counts its persons, up to :room. Both read the rows of the agency given as
    :agency."""

    ranked: tuple[Select[Any], ...]
    count: Select[Any]


def _queries(
    ranked: Sequence[Select[Any]],
    matching: Select[Any],
    restricted: Any,
    agency: Any,
    see_restricted: bool,
) -> _Queries:
    def visible(persons: Select[Any]) -> Select[Any]:
        persons = persons.where(of_the_agency(agency))
        return persons if see_restricted else persons.where(restricted.is_(False))

    counted = visible(matching).limit(bindparam("room")).subquery()
    return _Queries(
        ranked=tuple(visible(persons).limit(bindparam("limit")) for persons in ranked),
        count=select(func.count()).select_from(counted),
    )


def _prepared(
    ranked: Sequence[Select[Any]], matching: Select[Any], restricted: Any, agency: Any
) -> Callable[[bool], _Queries]:
    """A tier's statements built once, for the ways of asking that run on every search: what
    differs between searches is in their bind parameters."""
    by_visibility = {
        see: _queries(ranked, matching, restricted, agency, see) for see in (False, True)
    }
    return by_visibility.__getitem__


@dataclass(frozen=True)
class _Tier:
    """Persons matching in one way: its statements list them best first, one list after
    another, and count them; `params` are their values."""

    queries: Callable[[bool], _Queries]
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        ranked: Sequence[Select[Any]],
        matching: Select[Any],
        restricted: Any = None,
        agency: Any = None,
    ) -> "_Tier":
        """`restricted` and `agency`: the columns of the rows read (by default the person's)."""
        restricted = Person.restricted if restricted is None else restricted
        agency = Person.agency_id if agency is None else agency
        return cls(partial(_queries, tuple(ranked), matching, restricted, agency))

    @classmethod
    def where(cls, condition: ColumnElement[bool], score: ColumnElement[int]) -> "_Tier":
        """The persons of `persons` meeting the condition, ordered by the score."""
        matching = select(Person.id).where(condition)
        order = (score, Person.last_activity_at.desc(), Person.id)
        return cls.of([matching.order_by(*order)], matching)


def search_persons(
    *,
    session: Session,
    viewer: StaffMember,
    query: str,
    purpose: Purpose,
    limit: int = 10,
    offset: int = 0,
) -> SearchResult:
    """Persons matching a name, an e-mail address or a phone number, the `limit` ranked after
    the first `offset` (a further page); one audit row per hit shown.

    A query past MAX_QUERY_LENGTH characters or MAX_QUERY_WORDS words is refused
    (SearchTooLong): the edge should have refused it with a message first."""
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return EMPTY
    if is_too_long(query):
        raise SearchTooLong("query")
    see_restricted = viewer.can(Permission.PERSON_VIEW_RESTRICTED)
    result = EMPTY
    for tiers in _plans(session, query):
        result = _run(session, tiers, see_restricted=see_restricted, limit=limit, offset=offset)
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


def is_too_long(query: str) -> bool:
    return len(query.strip()) > MAX_QUERY_LENGTH or len(query.split()) > MAX_QUERY_WORDS


def find_hit(*, session: Session, viewer: StaffMember, person_id: int) -> PersonHit:
    """One person as a hit; NotFound also when the viewer may not see a restricted person."""
    person = session.get(Person, person_id)
    if person is None or (person.restricted and not viewer.can(Permission.PERSON_VIEW_RESTRICTED)):
        raise NotFound("person")
    return _hits(session, [person_id])[0]


def read_hit(
    *, session: Session, viewer: StaffMember, person_id: int, action: str, purpose: Purpose
) -> PersonHit:
    """One person as a hit, read to fill a form, and audited as such."""
    hit = find_hit(session=session, viewer=viewer, person_id=person_id)
    audit.record(
        session=session,
        actor=viewer.slack_user_id,
        action=action,
        person_id=hit.id,
        purpose=purpose.value,
    )
    return hit


def _plans(session: Session, query: str) -> Iterator[Iterable[_Tier]]:
    """Ways to look the query up, each tried only when the ones before found nothing."""
    if "@" in query:
        yield [_email_tier(session, query.lower())]
        return
    if REFERENCE.fullmatch(query):
        yield [_Tier.where(Person.reference == query.upper(), literal(0))]
        return
    if looks_like_phone(query):
        number = to_e164(query)
        if number:
            yield [_phone_tier(number)]
        return
    tokens = words(query)
    if not any(len(_fragment(token)) >= MIN_INDEXED_LENGTH for token in tokens):
        return
    index = _TextIndex(session)
    yield _name_tiers(session, index, tokens)
    if len(tokens) == 1 and len(tokens[0]) >= MIN_TYPO_WORD_LENGTH:
        whole, starts = _words_one_edit_away(session, tokens[0])
        yield [_with_any_word(whole)] if whole else []
        yield [_with_any_word(starts)] if starts else []
    elif any(len(token) >= MIN_TYPO_WORD_LENGTH for token in tokens):
        yield [_typo_tier(index, tokens, whole_word=True)]
        yield [_typo_tier(index, tokens, whole_word=False)]


def _fragment(token: str) -> str:
    """What the name must contain: a short word only at a word start."""
    return token if len(token) >= MIN_INDEXED_LENGTH else " " + token


def _name_tiers(session: Session, index: "_TextIndex", tokens: Sequence[str]) -> Iterator[_Tier]:
    if len(tokens) == 1:
        yield from _word_tiers(session, tokens[0])
        return
    score = _name_score(tokens)
    at_starts = [" " + token for token in tokens]
    yield _at_word_starts(tokens)
    inside = [_fragment(token) for token in tokens]
    if inside != at_starts:
        elsewhere = and_(index.contains_all(inside), ~_contains_all(at_starts))
        yield _Tier.where(elsewhere, score)


def _word_tiers(session: Session, token: str) -> Iterator[_Tier]:
    """One word: whole words, then other word starts, each read off the terms' index in order;
    then the token inside a word, by the words that hold it (looked up only if need be)."""
    yield _Tier(_WORD_STARTS, {"term": token, "whole": search_words.whole(token)})
    if len(token) < MIN_INDEXED_LENGTH:
        return
    inside = search_words.words_containing(session, token)
    if inside:
        yield _with_any_word(inside, without=~search_words.has_term(token))


def _with_any_word(found: list[str], without: ColumnElement[bool] | None = None) -> _Tier:
    persons = search_words.with_any_word(found)
    if without is not None:
        persons = persons.where(without)
    terms = search_words.terms
    return _Tier.of([persons], persons.order_by(None), terms.c.restricted, terms.c.agency_id)


def _at_word_starts(tokens: Sequence[str]) -> _Tier:
    """Persons with every token at a word start, read from the search terms of the longest
    token and ranked by score."""
    driver = max(tokens, key=len)
    others = [Person.search_name.like(f"% {token}%") for token in tokens if token != driver]
    starts = (
        select(Person.id)
        .select_from(search_words.terms)
        .join(Person, Person.id == search_words.terms.c.person_id)
        .where(search_words.terms.c.term == driver, *others)
    )
    order = (_name_score(tokens), search_words.terms.c.last_activity_at.desc(), Person.id)
    return _Tier.of([starts.order_by(*order)], starts, agency=search_words.terms.c.agency_id)


def _words_one_edit_away(session: Session, token: str) -> tuple[list[str], list[str]]:
    """The words within one edit of the token, and those whose start is: looked up by the
    parts that one edit leaves intact, then compared letter by letter."""
    found = search_words.words_holding(session, _intact_parts(token))
    whole = [word for word in found if _one_edit_apart(word, token)]
    lengths = range(len(token) - 1, len(token) + 2)
    starts = [word for word in found if any(_one_edit_apart(word[:n], token) for n in lengths)]
    return whole, starts


def _one_edit_apart(text: str, other: str) -> bool:
    """At most one letter substituted, missing or extra."""
    if len(text) == len(other):
        return sum(a != b for a, b in zip(text, other, strict=True)) <= 1
    shorter, longer = sorted((text, other), key=len)
    if len(longer) - len(shorter) != 1:
        return False
    same = 0
    while same < len(shorter) and shorter[same] == longer[same]:
        same += 1
    return shorter[same:] == longer[same + 1 :]


def _typo_tier(index: "_TextIndex", tokens: Sequence[str], *, whole_word: bool) -> _Tier:
    """One of the words with one edit, as a whole name word or the start of one; the other
    words as they are."""
    end = " " if whole_word else ""
    choices = []
    for position, token in enumerate(tokens):
        if len(token) < MIN_TYPO_WORD_LENGTH:
            continue
        others = [_fragment(other) for i, other in enumerate(tokens) if i != position]
        patterns = _one_edit(token)
        for intact in _intact_parts(token):
            kept = [pattern for pattern in patterns if all(part in pattern for part in intact)]
            edited = or_(*(Person.search_name.like(f"%{pattern}{end}%") for pattern in kept))
            choices.append(select(Person.id).where(index.contains_all([*intact, *others]), edited))
    return _Tier.where(Person.id.in_(union(*choices)), _name_score(tokens))


def _intact_parts(token: str) -> list[list[str]]:
    """Parts of ` token`, of which with one edit some stay intact: one list per case."""
    text = " " + token
    if len(text) < 3 * MIN_INDEXED_LENGTH:
        half = len(text) // 2
        return [[text[:half]], [text[half:]]]
    first, second = len(text) // 3, 2 * len(text) // 3
    start, middle, end = text[:first], text[first:second], text[second:]
    return [[start + middle], [middle + end], [start, end]]


def _one_edit(token: str) -> list[str]:
    """LIKE patterns for the token at a word start with one letter substituted, missing or
    extra."""
    substituted = [token[:i] + "_" + token[i + 1 :] for i in range(len(token))]
    missing = [token[:i] + "_" + token[i:] for i in range(len(token) + 1)]
    extra = [token[:i] + token[i + 1 :] for i in range(len(token))]
    return [" " + pattern for pattern in dict.fromkeys(substituted + missing + extra)]


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


def _email_tier(session: Session, address: str) -> _Tier:
    """Addresses starting with the query, whatever their case; the exact one first."""
    on_sqlite = session.get_bind().dialect.name == "sqlite"
    prepared = _EMAIL_ON_SQLITE if on_sqlite else _EMAIL
    return _Tier(prepared, {"address": address, "pattern": _like_escape(address) + "%"})


def _phone_tier(number: str) -> _Tier:
    return _Tier(_PHONE, {"number": number})


def _prepared_email(*, on_sqlite: bool) -> Callable[[bool], _Queries]:
    lowered = func.lower(_persons.c.email)
    pattern = bindparam("pattern", type_=String)
    # SQLite's LIKE ignores ASCII case and is served by the column's NOCASE index.
    compared = _persons.c.email if on_sqlite else lowered
    matching = select(_persons.c.id).where(compared.like(pattern, escape="\\"))
    exact_first = case((lowered == bindparam("address", type_=String), 0), else_=1)
    ranked = matching.order_by(exact_first, _persons.c.last_activity_at.desc(), _persons.c.id)
    return _prepared([ranked], matching, _persons.c.restricted, _persons.c.agency_id)


def _prepared_phone() -> Callable[[bool], _Queries]:
    phones = table_of(PhoneNumber)
    owners = select(phones.c.person_id).where(
        phones.c.number == bindparam("number", type_=String),
        of_the_agency(phones.c.agency_id),
    )
    matching = select(_persons.c.id).where(_persons.c.id.in_(owners))
    ranked = matching.order_by(_persons.c.last_activity_at.desc(), _persons.c.id)
    return _prepared([ranked], matching, _persons.c.restricted, _persons.c.agency_id)


def _prepared_word_starts() -> Callable[[bool], _Queries]:
    """One word: persons with it as a whole word, then the others it starts a word of."""
    term, whole = bindparam("term", type_=String), bindparam("whole", type_=String)
    ranked = [
        search_words.with_term(whole).order_by(*RECENT_FIRST),
        search_words.with_term(term).where(~search_words.has_term(whole)).order_by(*RECENT_FIRST),
    ]
    matching = search_words.with_term(term)
    terms = search_words.terms
    return _prepared(ranked, matching, terms.c.restricted, terms.c.agency_id)


_persons = table_of(Person)
_meetings = table_of(Meeting)
_WORD_STARTS = _prepared_word_starts()
_EMAIL = _prepared_email(on_sqlite=False)
_EMAIL_ON_SQLITE = _prepared_email(on_sqlite=True)
_PHONE = _prepared_phone()
_HITS = select(
    _persons.c.id,
    _persons.c.reference,
    _persons.c.first_name,
    _persons.c.last_name,
    _persons.c.municipality,
    select(func.max(_meetings.c.occurred_at))
    .where(_meetings.c.person_id == _persons.c.id)
    .scalar_subquery()
    .label("last_meeting_at"),
    _persons.c.restricted,
).where(_persons.c.id.in_(bindparam("ids", expanding=True)), of_the_agency(_persons.c.agency_id))


class _TextIndex:
    """Substring conditions on the search key, in the form the backend's text index serves."""

    def __init__(self, session: Session) -> None:
        self.fts = session.get_bind().dialect.name == "sqlite"

    def contains_all(self, fragments: Sequence[str]) -> ColumnElement[bool]:
        exact = _contains_all(fragments)
        indexed = [fragment for fragment in fragments if len(fragment) >= MIN_INDEXED_LENGTH]
        if not self.fts or not indexed:
            return exact
        expression = " AND ".join(f'"{fragment}"' for fragment in indexed)
        found = select(persons_search.c.rowid).where(column(SEARCH_TABLE).op("MATCH")(expression))
        return and_(Person.id.in_(found), exact)


def _contains_all(fragments: Sequence[str]) -> ColumnElement[bool]:
    return and_(*(Person.search_name.like(f"%{fragment}%") for fragment in fragments))


def _run(
    session: Session, tiers: Iterable[_Tier], *, see_restricted: bool, limit: int, offset: int = 0
) -> SearchResult:
    connection = session.connection()
    agency = its_agency(session)
    ids: list[int] = []
    total = 0
    for tier in tiers:
        queries = tier.queries(see_restricted)
        room = TOTAL_CAP + 1 - total
        wanted = min(offset + limit - len(ids), room)
        found = 0
        for ranked in queries.ranked:
            if found >= wanted:
                break
            params = {**tier.params, **agency, "limit": wanted - found}
            page = connection.scalars(ranked, params).all()
            ids += page
            found += len(page)
        if found < wanted:
            total += found
        else:
            total += connection.scalar(queries.count, {**tier.params, **agency, "room": room}) or 0
        if total > TOTAL_CAP:
            break
    return SearchResult(
        hits=_hits(session, ids[offset : offset + limit]),
        total=min(total, TOTAL_CAP),
        total_is_capped=total > TOTAL_CAP,
        offset=offset,
    )


def _like_escape(text: str) -> str:
    """Literal text in a LIKE pattern whose escape is the backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hits(session: Session, ids: list[int]) -> list[PersonHit]:
    if not ids:
        return []
    rows = session.connection().execute(_HITS, {"ids": ids, **its_agency(session)})
    hits = {row.id: PersonHit(*row) for row in rows}  # _HITS selects PersonHit's fields in order
    return [hits[person_id] for person_id in ids]
