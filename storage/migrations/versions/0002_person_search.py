"""Person search: a folded search key and each backend's trigram index over it and e-mail.

PostgreSQL: pg_trgm GIN indexes on persons.search_name and persons.email.
SQLite: an FTS5 trigram table with persons as its external content, kept by triggers.

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
    "search_name, email, content='persons', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN "
    "INSERT INTO persons_search(rowid, search_name, email) "
    "VALUES (new.id, new.search_name, new.email); END",
    "CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN "
    "INSERT INTO persons_search(persons_search, rowid, search_name, email) "
    "VALUES ('delete', old.id, old.search_name, old.email); END",
    "CREATE TRIGGER persons_search_update AFTER UPDATE OF search_name, email ON persons BEGIN "
    "INSERT INTO persons_search(persons_search, rowid, search_name, email) "
    "VALUES ('delete', old.id, old.search_name, old.email); "
    "INSERT INTO persons_search(rowid, search_name, email) "
    "VALUES (new.id, new.search_name, new.email); END",
    "INSERT INTO persons_search(persons_search) VALUES ('rebuild')",
]

POSTGRESQL_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_persons_search_name_trgm ON persons USING gin (search_name gin_trgm_ops)",
    "CREATE INDEX ix_persons_email_trgm ON persons USING gin (email gin_trgm_ops)",
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
    else:
        op.execute("DROP INDEX IF EXISTS ix_persons_email_trgm")
        op.execute("DROP INDEX IF EXISTS ix_persons_search_name_trgm")
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
