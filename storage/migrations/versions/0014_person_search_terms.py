"""Search terms and search words, kept by triggers on `persons`, so that a name search reads
only the hits it shows and at most 1,001 index entries to count them.

`persons_search_terms` (term, last_activity_at, person_id, restricted) holds, for every word
of `persons.search_name` of two letters or more, each of its starts from two letters to the
whole word ("ko", "kor", ..., "korhonen") and the whole word followed by a space
("korhonen "), once per person. Its index on (term, last_activity_at DESC, person_id) lists
the persons with a word start, or a whole word, most recently active first; the one on
(person_id, term) tells whether a person has a term.

`persons_search_words` (word, persons) holds each distinct word of two letters or more and
how many persons' names have it, with a trigram index of its own (pg_trgm GIN on PostgreSQL,
an FTS5 trigram table on SQLite): a word met inside another word, or with a typo, is looked
up among the words, which are few beside the persons. A word no one has any more is deleted.

The triggers rewrite a person's rows when the search key changes, move them when the last
activity or the restriction changes, and delete them with the person, so every write (the
ORM, an import's bulk insert, an erasure) keeps both tables.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERMS = "persons_search_terms"
WORDS = "persons_search_words"
WORD_TRIGRAMS = "persons_search_words_trigrams"
# persons.first_name and last_name hold at most 100 characters each.
LONGEST_WORD = 100
TERM_COLUMNS = f"{TERMS} (term, last_activity_at, person_id, restricted)"


def _sqlite_words(person: str) -> str:
    """A person's words as a table (json_each: a trigger may not use WITH); they hold letters
    and digits only, so they make a JSON array as they are."""
    return f"""json_each('["' || replace(trim({person}.search_name), ' ', '","') || '"]')"""


def _sqlite_terms(person: str, source: str = "") -> str:
    words = f"{source}{_sqlite_words(person)} AS word"
    lengths = ",".join(str(length) for length in range(2, LONGEST_WORD + 1))
    values = f"{person}.last_activity_at, {person}.id, {person}.restricted"
    return (
        f"SELECT substr(word.value, 1, length.value), {values} "
        f"FROM {words}, json_each('[{lengths}]') AS length "
        "WHERE length.value <= length(word.value) "
        f"UNION ALL SELECT word.value || ' ', {values} FROM {words} "
        "WHERE length(word.value) >= 2"
    )


def _sqlite_count_words(person: str, change: str) -> str:
    return (
        f"INSERT INTO {WORDS} (word, persons) SELECT DISTINCT value, {change} "
        f"FROM {_sqlite_words(person)} WHERE length(value) >= 2 "
        f"ON CONFLICT (word) DO UPDATE SET persons = persons + excluded.persons; "
        f"DELETE FROM {WORDS} WHERE persons <= 0 AND word IN "
        f"(SELECT value FROM {_sqlite_words(person)})"
    )


SQLITE = [
    f"CREATE TABLE {TERMS} (term VARCHAR(110) NOT NULL, last_activity_at DATETIME NOT NULL, "
    "person_id INTEGER NOT NULL, restricted BOOLEAN NOT NULL, "
    "PRIMARY KEY (term, last_activity_at DESC, person_id)) WITHOUT ROWID",
    f"CREATE UNIQUE INDEX ix_{TERMS}_person_id_term ON {TERMS} (person_id, term)",
    f"CREATE TABLE {WORDS} (id INTEGER PRIMARY KEY, word VARCHAR(100) NOT NULL UNIQUE, "
    "persons INTEGER NOT NULL)",
    f"CREATE VIRTUAL TABLE {WORD_TRIGRAMS} USING fts5("
    f"word, content='{WORDS}', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {WORDS}_insert AFTER INSERT ON {WORDS} BEGIN "
    f"INSERT INTO {WORD_TRIGRAMS} (rowid, word) VALUES (new.id, new.word); END",
    f"CREATE TRIGGER {WORDS}_delete AFTER DELETE ON {WORDS} BEGIN "
    f"INSERT INTO {WORD_TRIGRAMS} ({WORD_TRIGRAMS}, rowid, word) "
    "VALUES ('delete', old.id, old.word); END",
    f"CREATE TRIGGER {TERMS}_insert AFTER INSERT ON persons BEGIN "
    f"INSERT OR IGNORE INTO {TERM_COLUMNS} {_sqlite_terms('new')}; "
    f"{_sqlite_count_words('new', '1')}; END",
    f"CREATE TRIGGER {TERMS}_rename AFTER UPDATE OF search_name ON persons "
    "WHEN old.search_name IS NOT new.search_name BEGIN "
    f"DELETE FROM {TERMS} WHERE person_id = old.id; "
    f"INSERT OR IGNORE INTO {TERM_COLUMNS} {_sqlite_terms('new')}; "
    f"{_sqlite_count_words('old', '-1')}; {_sqlite_count_words('new', '1')}; END",
    f"CREATE TRIGGER {TERMS}_move AFTER UPDATE OF last_activity_at, restricted ON persons "
    "WHEN old.search_name IS new.search_name "
    "AND (old.last_activity_at IS NOT new.last_activity_at "
    "OR old.restricted IS NOT new.restricted) BEGIN "
    f"UPDATE {TERMS} SET last_activity_at = new.last_activity_at, "
    "restricted = new.restricted WHERE person_id = new.id; END",
    f"CREATE TRIGGER {TERMS}_delete AFTER DELETE ON persons BEGIN "
    f"DELETE FROM {TERMS} WHERE person_id = old.id; {_sqlite_count_words('old', '-1')}; END",
    f"INSERT OR IGNORE INTO {TERM_COLUMNS} {_sqlite_terms('persons', 'persons, ')}",
    f"INSERT INTO {WORDS} (word, persons) SELECT word.value, count(DISTINCT persons.id) "
    f"FROM persons, {_sqlite_words('persons')} AS word WHERE length(word.value) >= 2 "
    "GROUP BY word.value",
]


def _postgresql_words(person: str) -> str:
    return f"unnest(string_to_array(btrim({person}.search_name), ' ')) AS word"


def _postgresql_terms(person: str, source: str = "") -> str:
    words = f"{source}{_postgresql_words(person)}"
    values = f"{person}.last_activity_at, {person}.id, {person}.restricted"
    return (
        f"SELECT left(word, length), {values} "
        f"FROM {words}, generate_series(2, length(word)) AS length "
        f"UNION ALL SELECT word || ' ', {values} FROM {words} WHERE length(word) >= 2"
    )


def _postgresql_count_words(*changes: tuple[str, str, int]) -> str:
    """Adds each change (a person, the rows it comes from, +1 or -1) to the count of persons
    with each of the person's words, in one statement and in the words' order, so that two
    transactions lock the same words in the same order; deletes the words no one has."""
    counted = " UNION ALL ".join(
        f"SELECT word, {change} * count(DISTINCT {person}.id) AS persons "
        f"FROM {source}{_postgresql_words(person)} WHERE length(word) >= 2 GROUP BY word"
        for person, source, change in changes
    )
    changed = " UNION ".join(
        f"SELECT word FROM {source}{_postgresql_words(person)}" for person, source, _ in changes
    )
    return (
        f"INSERT INTO {WORDS} AS known (word, persons) "
        f"SELECT word, sum(persons) FROM ({counted}) AS counted GROUP BY word ORDER BY word "
        "ON CONFLICT (word) DO UPDATE SET persons = known.persons + excluded.persons; "
        f"DELETE FROM {WORDS} WHERE persons <= 0 AND word IN ({changed})"
    )


def _function(name: str, body: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; "
        "RETURN NULL; END $$"
    )


POSTGRESQL = [
    f'CREATE TABLE {TERMS} (term VARCHAR(110) COLLATE "C" NOT NULL, '
    "last_activity_at TIMESTAMP WITH TIME ZONE NOT NULL, person_id INTEGER NOT NULL, "
    "restricted BOOLEAN NOT NULL)",
    f"CREATE INDEX ix_{TERMS}_term ON {TERMS} (term, last_activity_at DESC, person_id) "
    "INCLUDE (restricted)",
    f"CREATE UNIQUE INDEX ix_{TERMS}_person_id_term ON {TERMS} (person_id, term)",
    f'CREATE TABLE {WORDS} (word VARCHAR(100) COLLATE "C" PRIMARY KEY, persons INTEGER NOT NULL)',
    f"CREATE INDEX ix_{WORDS}_trgm ON {WORDS} USING gin (word gin_trgm_ops)",
    # Set-based, so that a bulk insert (an import's COPY) runs one statement for all its rows.
    _function(
        f"{TERMS}_add",
        f"INSERT INTO {TERM_COLUMNS} {_postgresql_terms('person', 'added AS person, ')} "
        f"ON CONFLICT DO NOTHING; {_postgresql_count_words(('person', 'added AS person, ', 1))}",
    ),
    f"CREATE TRIGGER {TERMS}_insert AFTER INSERT ON persons REFERENCING NEW TABLE AS added "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TERMS}_add()",
    _function(
        f"{TERMS}_rename",
        f"DELETE FROM {TERMS} WHERE person_id = OLD.id; "
        f"INSERT INTO {TERM_COLUMNS} {_postgresql_terms('NEW')} ON CONFLICT DO NOTHING; "
        + _postgresql_count_words(("OLD", "", -1), ("NEW", "", 1)),
    ),
    f"CREATE TRIGGER {TERMS}_rename AFTER UPDATE OF search_name ON persons FOR EACH ROW "
    "WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name) "
    f"EXECUTE FUNCTION {TERMS}_rename()",
    _function(
        f"{TERMS}_move",
        f"UPDATE {TERMS} SET last_activity_at = NEW.last_activity_at, "
        "restricted = NEW.restricted WHERE person_id = NEW.id",
    ),
    f"CREATE TRIGGER {TERMS}_move AFTER UPDATE OF last_activity_at, restricted ON persons "
    "FOR EACH ROW WHEN (OLD.search_name IS NOT DISTINCT FROM NEW.search_name "
    "AND (OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at "
    "OR OLD.restricted IS DISTINCT FROM NEW.restricted)) "
    f"EXECUTE FUNCTION {TERMS}_move()",
    _function(
        f"{TERMS}_remove",
        f"DELETE FROM {TERMS} WHERE person_id IN (SELECT id FROM removed); "
        + _postgresql_count_words(("person", "removed AS person, ", -1)),
    ),
    f"CREATE TRIGGER {TERMS}_delete AFTER DELETE ON persons REFERENCING OLD TABLE AS removed "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TERMS}_remove()",
    f"INSERT INTO {TERM_COLUMNS} {_postgresql_terms('person', 'persons AS person, ')} "
    "ON CONFLICT DO NOTHING",
    _postgresql_count_words(("person", "persons AS person, ", 1)),
    f"ANALYZE {TERMS}",
    f"ANALYZE {WORDS}",
]


def upgrade() -> None:
    statements = SQLITE if op.get_context().dialect.name == "sqlite" else POSTGRESQL
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    on_persons = " ON persons" if postgresql else ""
    for trigger in ("insert", "rename", "move", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {TERMS}_{trigger}{on_persons}")
    if postgresql:
        for function in ("add", "rename", "move", "remove"):
            op.execute(f"DROP FUNCTION IF EXISTS {TERMS}_{function}()")
    else:
        op.execute(f"DROP TABLE IF EXISTS {WORD_TRIGRAMS}")
    op.execute(f"DROP TABLE IF EXISTS {WORDS}")
    op.execute(f"DROP TABLE IF EXISTS {TERMS}")
