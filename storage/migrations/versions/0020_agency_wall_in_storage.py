"""The wall between agencies in the search tables and the unique keys.

The search terms and words of revision 0014 become each agency's own: a term carries the
agency of its person (the triggers copy it from `persons.agency_id`), and a word is counted per
agency, (agency_id, word) unique, so that one agency's search, typo suggestions and word counts
never draw on another agency's persons. The indexes the searches scan by range lead with the
agency: terms by (agency_id, term, last_activity_at DESC, person_id), words by (agency_id,
word), e-mail by (agency_id, the address whatever its case). Both tables are made again and
filled from `persons`, with their triggers.

Keys that are unique per register become unique per agency: a Slack user id, a public
reference, a creation key, a meeting's idempotency key, a request's filing key, a job's period,
an outbox key, a handled event, a Slack file, a Slack message. (`persons.person_key` is random
and stays unique everywhere.) PostgreSQL replaces each constraint. SQLite cannot, and its
tables cannot be rebuilt one by one with foreign keys enforced (see revision 0011): the
constraint's text in the schema is rewritten and the table's indexes are built again from its
rows (REINDEX), so that the constraint's index holds the new columns; no row is rewritten, and
no trigger is touched.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 04:00:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"
TERMS = "persons_search_terms"
WORDS = "persons_search_words"
WORD_TRIGRAMS = "persons_search_words_trigrams"
# persons.first_name and last_name hold at most 100 characters each.
LONGEST_WORD = 100
TRIGGERS = ("insert", "rename", "move", "delete")
FUNCTIONS = ("add", "rename", "move", "remove")

# table: (columns, the constraint's name before, and after)
UNIQUE_CONSTRAINTS = {
    "staff": ("slack_user_id", "uq_staff_slack_user_id", "uq_staff_agency_id_slack_user_id"),
    "persons": ("reference", "uq_persons_reference", "uq_persons_agency_id_reference"),
    "meetings": (
        "idempotency_key",
        "uq_meetings_idempotency_key",
        "uq_meetings_agency_id_idempotency_key",
    ),
    "job_runs": ("job, period", "uq_job_runs_job_period", "uq_job_runs_agency_id_job_period"),
    "outbox_messages": ('"key"', "uq_outbox_messages_key", "uq_outbox_messages_agency_id_key"),
    "handled_events": (
        "event_id",
        "uq_handled_events_event_id",
        "uq_handled_events_agency_id_event_id",
    ),
    "slack_files": (
        "slack_file_id",
        "uq_slack_files_slack_file_id",
        "uq_slack_files_agency_id_slack_file_id",
    ),
    "slack_messages": (
        "channel_id, message_ts",
        "uq_slack_messages_channel_id_message_ts",
        "uq_slack_messages_agency_id_channel_id_message_ts",
    ),
}
# (table, column, the unique index's name before, and after)
UNIQUE_INDEXES = (
    ("persons", "creation_key", "ix_persons_creation_key", "ix_persons_agency_id_creation_key"),
    (
        "data_subject_requests",
        "filing_key",
        "ix_data_subject_requests_filing_key",
        "ix_data_subject_requests_agency_id_filing_key",
    ),
)
# (index before, after, and the new one's definition) for e-mail look-ups by prefix.
EMAIL_INDEXES = {
    "sqlite": (
        "ix_persons_email_nocase",
        "ix_persons_agency_id_email_nocase",
        "persons (agency_id, email COLLATE NOCASE)",
    ),
    "postgresql": (
        "ix_persons_email_lower",
        "ix_persons_agency_id_email_lower",
        "persons (agency_id, lower(email) text_pattern_ops)",
    ),
}


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    _drop_search_tables(dialect)
    for statement in SQLITE if dialect == "sqlite" else POSTGRESQL:
        op.execute(statement)
    before, after, definition = EMAIL_INDEXES[dialect]
    op.execute(f"DROP INDEX {before}")
    op.execute(f"CREATE INDEX {after} ON {definition}")
    for table, (columns, old, new) in UNIQUE_CONSTRAINTS.items():
        _replace_unique(dialect, table, f"CONSTRAINT {old} UNIQUE ({columns})", new, columns)
    for table, column, old, new in UNIQUE_INDEXES:
        op.execute(f"DROP INDEX {old}")
        op.execute(f"CREATE UNIQUE INDEX {new} ON {table} (agency_id, {column})")


def downgrade() -> None:
    """Back to one register's keys and search tables: fails where two agencies share a key."""
    dialect = op.get_context().dialect.name
    for table, column, old, new in UNIQUE_INDEXES:
        op.execute(f"DROP INDEX {new}")
        op.execute(f"CREATE UNIQUE INDEX {old} ON {table} ({column})")
    for table, (columns, old, new) in UNIQUE_CONSTRAINTS.items():
        current = f"CONSTRAINT {new} UNIQUE (agency_id, {columns})"
        _replace_unique(dialect, table, current, old, columns, per_agency=False)
    before, after, definition = EMAIL_INDEXES[dialect]
    op.execute(f"DROP INDEX {after}")
    op.execute(f"CREATE INDEX {before} ON {definition.replace('agency_id, ', '')}")
    _drop_search_tables(dialect)
    for statement in _register_wide(dialect):
        op.execute(statement)


def _replace_unique(
    dialect: str, table: str, current: str, name: str, columns: str, *, per_agency: bool = True
) -> None:
    columns = f"agency_id, {columns}" if per_agency else columns
    if dialect == "postgresql":
        old_name = current.split()[1]
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {old_name}")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({columns})")
        return
    _rewrite_sqlite_schema(table, current, f"CONSTRAINT {name} UNIQUE ({columns})")
    # The constraint's index was built for the old columns: build it again from the rows.
    op.execute(f'REINDEX "{table}"')


def _rewrite_sqlite_schema(table: str, old: str, new: str) -> None:
    """Replaces `old` with `new` in the table's CREATE TABLE text, and bumps the schema's
    version so that every connection reads it again (as revision 0011 does)."""
    connection = op.get_bind()
    ddl = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if old not in ddl:
        raise RuntimeError(f"the schema of {table} is not as expected")
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
        (ddl.replace(old, new), table),
    )
    connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")


def _drop_search_tables(dialect: str) -> None:
    on_persons = " ON persons" if dialect == "postgresql" else ""
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {TERMS}_{trigger}{on_persons}")
    if dialect == "postgresql":
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {TERMS}_{function}()")
    else:
        op.execute(f"DROP TABLE IF EXISTS {WORD_TRIGRAMS}")
    op.execute(f"DROP TABLE IF EXISTS {WORDS}")
    op.execute(f"DROP TABLE IF EXISTS {TERMS}")


def _register_wide(dialect: str) -> list[str]:
    """Revision 0014's tables and triggers, for going back."""
    path = Path(__file__).with_name("0014_person_search_terms.py")
    spec = importlib.util.spec_from_file_location("revision_0014", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    statements: list[str] = module.SQLITE if dialect == "sqlite" else module.POSTGRESQL
    return statements


# SQLite: a trigger may not use WITH; json_each makes a person's words a table (they hold
# letters and digits only, so they make a JSON array as they are).
TERM_COLUMNS = f"{TERMS} (agency_id, term, last_activity_at, person_id, restricted)"


def _sqlite_words(person: str) -> str:
    return f"""json_each('["' || replace(trim({person}.search_name), ' ', '","') || '"]')"""


def _sqlite_terms(person: str, source: str = "") -> str:
    words = f"{source}{_sqlite_words(person)} AS word"
    lengths = ",".join(str(length) for length in range(2, LONGEST_WORD + 1))
    values = f"{person}.last_activity_at, {person}.id, {person}.restricted"
    return (
        f"SELECT {person}.agency_id, substr(word.value, 1, length.value), {values} "
        f"FROM {words}, json_each('[{lengths}]') AS length "
        "WHERE length.value <= length(word.value) "
        f"UNION ALL SELECT {person}.agency_id, word.value || ' ', {values} FROM {words} "
        "WHERE length(word.value) >= 2"
    )


def _sqlite_count_words(person: str, change: str) -> str:
    return (
        f"INSERT INTO {WORDS} (agency_id, word, persons) "
        f"SELECT DISTINCT {person}.agency_id, value, {change} "
        f"FROM {_sqlite_words(person)} WHERE length(value) >= 2 "
        "ON CONFLICT (agency_id, word) DO UPDATE SET persons = persons + excluded.persons; "
        f"DELETE FROM {WORDS} WHERE agency_id = {person}.agency_id AND persons <= 0 "
        f"AND word IN (SELECT value FROM {_sqlite_words(person)})"
    )


SQLITE = [
    f"CREATE TABLE {TERMS} (agency_id INTEGER NOT NULL, term VARCHAR(110) NOT NULL, "
    "last_activity_at DATETIME NOT NULL, person_id INTEGER NOT NULL, "
    "restricted BOOLEAN NOT NULL, "
    "PRIMARY KEY (agency_id, term, last_activity_at DESC, person_id)) WITHOUT ROWID",
    f"CREATE UNIQUE INDEX ix_{TERMS}_person_id_term ON {TERMS} (person_id, term)",
    f"CREATE TABLE {WORDS} (id INTEGER PRIMARY KEY, agency_id INTEGER NOT NULL, "
    "word VARCHAR(100) NOT NULL, persons INTEGER NOT NULL, UNIQUE (agency_id, word))",
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
    f"INSERT INTO {WORDS} (agency_id, word, persons) "
    "SELECT persons.agency_id, word.value, count(DISTINCT persons.id) "
    f"FROM persons, {_sqlite_words('persons')} AS word WHERE length(word.value) >= 2 "
    "GROUP BY persons.agency_id, word.value",
]


def _postgresql_words(person: str) -> str:
    return f"unnest(string_to_array(btrim({person}.search_name), ' ')) AS word"


def _postgresql_terms(person: str, source: str = "") -> str:
    words = f"{source}{_postgresql_words(person)}"
    values = f"{person}.last_activity_at, {person}.id, {person}.restricted"
    return (
        f"SELECT {person}.agency_id, left(word, length), {values} "
        f"FROM {words}, generate_series(2, length(word)) AS length "
        f"UNION ALL SELECT {person}.agency_id, word || ' ', {values} FROM {words} "
        "WHERE length(word) >= 2"
    )


def _postgresql_count_words(*changes: tuple[str, str, int]) -> str:
    """Adds each change (a person, the rows it comes from, +1 or -1) to the count of the
    agency's persons with each of the person's words, in one statement and in the words'
    order, so that two transactions lock the same words in the same order; deletes the words
    no one of the agency has."""
    counted = " UNION ALL ".join(
        f"SELECT {person}.agency_id, word, {change} * count(DISTINCT {person}.id) AS persons "
        f"FROM {source}{_postgresql_words(person)} WHERE length(word) >= 2 "
        f"GROUP BY {person}.agency_id, word"
        for person, source, change in changes
    )
    changed = " UNION ".join(
        f"SELECT {person}.agency_id, word FROM {source}{_postgresql_words(person)}"
        for person, source, _ in changes
    )
    return (
        f"INSERT INTO {WORDS} AS known (agency_id, word, persons) "
        f"SELECT agency_id, word, sum(persons) FROM ({counted}) AS counted "
        "GROUP BY agency_id, word ORDER BY agency_id, word "
        "ON CONFLICT (agency_id, word) DO UPDATE SET persons = known.persons + excluded.persons; "
        f"DELETE FROM {WORDS} WHERE persons <= 0 AND (agency_id, word) IN ({changed})"
    )


def _function(name: str, body: str) -> str:
    return (
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; "
        "RETURN NULL; END $$"
    )


POSTGRESQL = [
    f"CREATE TABLE {TERMS} (agency_id INTEGER NOT NULL, "
    'term VARCHAR(110) COLLATE "C" NOT NULL, '
    "last_activity_at TIMESTAMP WITH TIME ZONE NOT NULL, person_id INTEGER NOT NULL, "
    "restricted BOOLEAN NOT NULL)",
    f"CREATE INDEX ix_{TERMS}_agency_id_term ON {TERMS} "
    "(agency_id, term, last_activity_at DESC, person_id) INCLUDE (restricted)",
    f"CREATE UNIQUE INDEX ix_{TERMS}_person_id_term ON {TERMS} (person_id, term)",
    f'CREATE TABLE {WORDS} (agency_id INTEGER NOT NULL, word VARCHAR(100) COLLATE "C", '
    "persons INTEGER NOT NULL, PRIMARY KEY (agency_id, word))",
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
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TERMS}, {WORDS} TO {APP_ROLE}",
    f"ANALYZE {TERMS}",
    f"ANALYZE {WORDS}",
]
