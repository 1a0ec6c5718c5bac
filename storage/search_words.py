"""The search terms and search words that migration 0014 keeps by triggers, as queries.

Terms: each word start of two letters or more ("kor") and each whole word followed by a space
("korhonen "), per person, indexed in order of last activity, so that persons with a term
come most recently active first and a count stops after the entries it needs. Words: each
distinct word of the register's names, few beside the persons, with a trigram index: a
fragment met inside a word, or a word with a typo, is first looked up among them.
"""

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

TERMS_TABLE = "persons_search_terms"
WORDS_TABLE = "persons_search_words"
WORD_TRIGRAMS_TABLE = "persons_search_words_trigrams"
# A trigram index can only use a literal of at least three characters.
MIN_INDEXED_LENGTH = 3

terms = table(
    TERMS_TABLE,
    column("term", String),
    column("last_activity_at"),
    column("person_id", Integer),
    column("restricted", Boolean),
)
known_words = table(
    WORDS_TABLE, column("id", Integer), column("word", String), column("persons", Integer)
)
word_trigrams = table(WORD_TRIGRAMS_TABLE, column("rowid", Integer), column("word", String))

RECENT_FIRST = (terms.c.last_activity_at.desc(), terms.c.person_id)


def whole(word: str) -> str:
    """The term of a whole word."""
    return word + " "


def with_term(term: str | ColumnElement[str]) -> Select[Any]:
    """Persons with the term; order by RECENT_FIRST to read them off the index in order."""
    return select(terms.c.person_id).where(terms.c.term == term)


def has_term(term: str | ColumnElement[str]) -> ColumnElement[bool]:
    """Whether the person of the row of `terms` being read has the term too."""
    other = terms.alias("other")
    return exists().where(other.c.person_id == terms.c.person_id, other.c.term == term)


def with_any_word(words: list[str]) -> Select[Any]:
    """Persons with any of the words; each once, RECENT_FIRST (for one word, read off the index
    in order)."""
    if len(words) == 1:
        return with_term(whole(words[0])).order_by(*RECENT_FIRST)
    return (
        select(terms.c.person_id, terms.c.last_activity_at)
        .where(terms.c.term.in_([whole(word) for word in words]))
        .distinct()
        .order_by(*RECENT_FIRST)
    )


def words_containing(session: Session, fragment: str) -> list[str]:
    """Words with the fragment (of MIN_INDEXED_LENGTH letters or more) anywhere but at their
    start."""
    on_sqlite = session.get_bind().dialect.name == "sqlite"
    statement = _CONTAINING_ON_SQLITE if on_sqlite else _CONTAINING
    params = {"inside": f"%{fragment}%", "start": f"{fragment}%", "phrase": f'"{fragment}"'}
    return list(session.connection().scalars(statement, params))


def _containing(*, on_sqlite: bool) -> Select[Any]:
    """Built once, as every one-word search of three letters or more counts these words."""
    inside = known_words.c.word.like(bindparam("inside", type_=String))
    condition = and_(inside, ~known_words.c.word.like(bindparam("start", type_=String)))
    if on_sqlite:
        matching = column(WORD_TRIGRAMS_TABLE).op("MATCH")(bindparam("phrase", type_=String))
        found = select(word_trigrams.c.rowid).where(matching)
        condition = and_(known_words.c.id.in_(found), condition)
    return select(known_words.c.word).where(condition)


_CONTAINING = _containing(on_sqlite=False)
_CONTAINING_ON_SQLITE = _containing(on_sqlite=True)


def words_holding(session: Session, cases: list[list[str]]) -> list[str]:
    """Words that hold every part of one of the cases (a part starting with a space at the
    word's start)."""
    choices = []
    for parts in cases:
        conditions = []
        for part in parts:
            if part.startswith(" "):
                conditions.append(_starts_with(part[1:]))
            else:
                conditions += [_contains(session, part), known_words.c.word.like(f"%{part}%")]
        choices.append(and_(*conditions))
    return list(session.scalars(select(known_words.c.word).where(or_(*choices))))


def _starts_with(start: str) -> ColumnElement[bool]:
    """A range of the words' index: a LIKE prefix uses no index on SQLite (its LIKE ignores
    case)."""
    following = start[:-1] + chr(ord(start[-1]) + 1)
    return and_(known_words.c.word >= start, known_words.c.word < following)


def _contains(session: Session, fragment: str) -> ColumnElement[bool]:
    if len(fragment) < MIN_INDEXED_LENGTH or session.get_bind().dialect.name != "sqlite":
        return known_words.c.word.like(f"%{fragment}%")
    found = select(word_trigrams.c.rowid).where(
        column(WORD_TRIGRAMS_TABLE).op("MATCH")(f'"{fragment}"')
    )
    return known_words.c.id.in_(found)
