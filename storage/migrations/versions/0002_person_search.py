"""Person search: a folded search key, each backend's trigram index on it, lowered e-mail.

PostgreSQL: a pg_trgm GIN index on persons.search_name.
SQLite: an FTS5 trigram table with persons as its external content, kept by triggers.
Both: an index for e-mail look-ups whatever the case (lower(email) on PostgreSQL, email
COLLATE NOCASE on SQLite, where a LIKE can use only a plain column's index).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models.person_search import search_name

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE persons_search USING fts5("
    "search_name, content='persons', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN "
    "INSERT INTO persons_search(rowid, search_name) VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN "
    "INSERT INTO persons_search(persons_search, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER persons_search_update AFTER UPDATE OF search_name ON persons BEGIN "
    "INSERT INTO persons_search(persons_search, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO persons_search(rowid, search_name) VALUES (new.id, new.search_name); END",
    "INSERT INTO persons_search(persons_search) VALUES ('rebuild')",
    "CREATE INDEX ix_persons_email_nocase ON persons (email COLLATE NOCASE)",
]

POSTGRESQL_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_persons_search_name_trgm ON persons USING gin (search_name gin_trgm_ops)",
    # text_pattern_ops: a prefix LIKE uses the index whatever the database's collation.
    "CREATE INDEX ix_persons_email_lower ON persons (lower(email) text_pattern_ops)",
]


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_name", sa.String(length=300), server_default="", nullable=False)
        )
    _fill_search_names()
    statements = SQLITE_INDEX if op.get_context().dialect.name == "sqlite" else POSTGRESQL_INDEX
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS persons_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS persons_search")
        op.execute("DROP INDEX IF EXISTS ix_persons_email_nocase")
    else:
        op.execute("DROP INDEX IF EXISTS ix_persons_search_name_trgm")
        op.execute("DROP INDEX IF EXISTS ix_persons_email_lower")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("search_name")


def _fill_search_names() -> None:
    persons = sa.table(
        "persons",
        sa.column("id", sa.Integer),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
        sa.column("search_name", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(persons.c.id, persons.c.first_name, persons.c.last_name))
    for person_id, first_name, last_name in rows.all():
        connection.execute(
            persons.update()
            .where(persons.c.id == person_id)
            .values(search_name=search_name(first_name, last_name))
        )
