"""The search terms and search words that migration 0014 keeps by triggers, as queries.

Terms: each word start of two letters or more ("kor") and each whole word followed by a space
("korhonen "), per person, indexed by agency and term in order of last activity, so that
persons with a term come most recently active first and a count stops after the entries it
needs. Words: each distinct word of an agency's names, few beside the persons, with a trigram
index: a fragment met inside a word, or a word with a typo, is first looked up among them.

Both belong to the agency of their persons (migration 0020): every statement here names the
session's agency, as the bind parameter storage.tenancy.AGENCY_PARAM of the statements built
once.
"""

from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import column, table

from storage.tenancy import its_agency, of_the_agency

TERMS_TABLE = "persons_search_terms"
WORDS_TABLE = "persons_search_words"
WORD_TRIGRAMS_TABLE = "persons_search_words_trigrams"
# A trigram index can only use a literal of at least three characters.
MIN_INDEXED_LENGTH = 3

terms = table(
    TERMS_TABLE,
    column("agency_id", Integer),
    column("term", String),
    column("last_activity_at"),
    column("person_id", Integer),
    column("restricted", Boolean),
)
known_words = table(
    WORDS_TABLE,
    column("id", Integer),
    column("agency_id", Integer),
    column("word", String),
    column("persons", Integer),
)
word_trigrams = table(WORD_TRIGRAMS_TABLE, column("rowid", Integer), column("word", String))

RECENT_FIRST = (terms.c.last_activity_at.desc(), terms.c.person_id)


def whole(word: str) -> str:
    """The term of a whole word."""
    return word + " "


def with_term(term: str | ColumnElement[str]) -> Select[Any]:
    """The agency's persons with the term; order by RECENT_FIRST to read them off the index in
    order."""
    return select(terms.c.person_id).where(of_the_agency(terms.c.agency_id), terms.c.term == term)


def has_term(term: str | ColumnElement[str]) -> ColumnElement[bool]:
    """Whether the person of the row of `terms` being read has the term too."""
    other = terms.alias("other")
    return exists().where(other.c.person_id == terms.c.person_id, other.c.term == term)


def with_any_word(words: list[str]) -> Select[Any]:
    """The agency's persons with any of the words; each once, RECENT_FIRST (for one word, read
    off the index in order)."""
    if len(words) == 1:
        return with_term(whole(words[0])).order_by(*RECENT_FIRST)
    return (
        select(terms.c.person_id, terms.c.last_activity_at)
        .where(of_the_agency(terms.c.agency_id), terms.c.term.in_([whole(word) for word in words]))
        .distinct()
        .order_by(*RECENT_FIRST)
    )


def words_containing(session: Session, fragment: str) -> list[str]:
    """The agency's words with the fragment (of MIN_INDEXED_LENGTH letters or more) anywhere but
    at their start."""
    on_sqlite = session.get_bind().dialect.name == "sqlite"
    statement = _CONTAINING_ON_SQLITE if on_sqlite else _CONTAINING
    params = {
        "inside": f"%{fragment}%",
        "start": f"{fragment}%",
        "phrase": f'"{fragment}"',
        **its_agency(session),
    }
    return list(session.connection().scalars(statement, params))


def _containing(*, on_sqlite: bool) -> Select[Any]:
    """Built once, as every one-word search of three letters or more counts these words."""
    inside = known_words.c.word.like(bindparam("inside", type_=String))
    condition = and_(
        of_the_agency(known_words.c.agency_id),
        inside,
        ~known_words.c.word.like(bindparam("start", type_=String)),
    )
    if on_sqlite:
        matching = column(WORD_TRIGRAMS_TABLE).op("MATCH")(bindparam("phrase", type_=String))
        found = select(word_trigrams.c.rowid).where(matching)
        condition = and_(known_words.c.id.in_(found), condition)
    return select(known_words.c.word).where(condition)


_CONTAINING = _containing(on_sqlite=False)
_CONTAINING_ON_SQLITE = _containing(on_sqlite=True)


def words_holding(session: Session, cases: list[list[str]]) -> list[str]:
    """The agency's words that hold every part of one of the cases (a part starting with a
    space at the word's start)."""
    on_sqlite = session.get_bind().dialect.name == "sqlite"
    shape: list[tuple[str, ...]] = []
    params: dict[str, str] = {}
    for parts in cases:
        kinds = []
        for part in parts:
            n = len(params)
            if part.startswith(" "):
                kinds.append(_AT_START)
                params[f"from_{n}"] = part[1:]
                params[f"to_{n}"] = part[1:-1] + chr(ord(part[-1]) + 1)
            elif on_sqlite and len(part) >= MIN_INDEXED_LENGTH:
                kinds.append(_INDEXED)
                params[f"inside_{n}"] = f"%{part}%"
                params[f"phrase_{n + 1}"] = f'"{part}"'
            else:
                kinds.append(_INSIDE)
                params[f"inside_{n}"] = f"%{part}%"
        shape.append(tuple(kinds))
    statement = _holding(tuple(shape))
    return list(session.connection().scalars(statement, {**params, **its_agency(session)}))


# How a part of a case is looked for: a range of the words' index at their start (a LIKE
# prefix uses no index on SQLite, whose LIKE ignores case), inside words through SQLite's
# trigram table, or by LIKE alone (PostgreSQL's trigram index serves it; on SQLite the part is
# too short for the trigram table).
_AT_START, _INDEXED, _INSIDE = "at start", "indexed", "inside"


@cache
def _holding(shape: tuple[tuple[str, ...], ...]) -> Select[Any]:
    """The statement of words_holding for cases of this shape, built once: a typo's cases come
    in a few shapes, and building the statement cost more than running it. Its parameters are
    named by the place of their part among all the parts, as words_holding fills them."""
    word = known_words.c.word
    choices = []
    n = 0
    for kinds in shape:
        conditions: list[ColumnElement[bool]] = []
        for kind in kinds:
            if kind == _AT_START:
                conditions += [word >= bindparam(f"from_{n}"), word < bindparam(f"to_{n}")]
                n += 2
                continue
            conditions.append(word.like(bindparam(f"inside_{n}", type_=String)))
            if kind == _INDEXED:
                phrase = bindparam(f"phrase_{n + 1}", type_=String)
                found = select(word_trigrams.c.rowid).where(
                    column(WORD_TRIGRAMS_TABLE).op("MATCH")(phrase)
                )
                conditions.append(known_words.c.id.in_(found))
                n += 1
            n += 1
        choices.append(and_(*conditions))
    return select(word).where(of_the_agency(known_words.c.agency_id), or_(*choices))
