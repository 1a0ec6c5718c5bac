"""A person's data may come from the agency's earlier register (`persons.source` =
`earlier_register`), as the import brings it in; the import's audit events carry the purpose
`import`, which needs no change here (`audit_events.purpose` is a plain string). Birth dates
are indexed for the duplicate rule, which an import applies to thousands of lines at a time.

PostgreSQL swaps the check constraint. SQLite cannot alter a constraint, and rebuilding
`persons` would mean rebuilding every table that refers to it; but a check constraint that only
grows admits every row it admitted before, so the table's stored definition is rewritten in
place, as SQLite documents for changes that leave the stored rows as they are
(sqlite.org/lang_altertable.html, "other kinds of table schema changes").

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 21:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_persons_datasource"
BEFORE = ("person", "public_register", "other")
AFTER = (*BEFORE, "earlier_register")


def upgrade() -> None:
    _check_source_in(BEFORE, AFTER)
    op.create_index(op.f("ix_persons_birth_date"), "persons", ["birth_date"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_persons_birth_date"), table_name="persons")
    op.execute("UPDATE persons SET source = 'other' WHERE source = 'earlier_register'")
    _check_source_in(AFTER, BEFORE)


def _condition(values: tuple[str, ...]) -> str:
    return "source IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _check_source_in(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    if op.get_context().dialect.name != "sqlite":
        op.drop_constraint(op.f(CONSTRAINT), "persons", type_="check")
        op.create_check_constraint(op.f(CONSTRAINT), "persons", _condition(new))
        return
    connection = op.get_bind()
    old_clause = f"CONSTRAINT {CONSTRAINT} CHECK ({_condition(old)})"
    new_clause = f"CONSTRAINT {CONSTRAINT} CHECK ({_condition(new)})"
    ddl = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'persons'"
    ).scalar_one()
    if old_clause not in ddl:
        raise RuntimeError(f"persons has no {CONSTRAINT} as expected; nothing was changed")
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        connection.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'persons'",
            (ddl.replace(old_clause, new_clause),),
        )
        connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        connection.exec_driver_sql("PRAGMA writable_schema = OFF")
    if connection.exec_driver_sql("PRAGMA integrity_check").scalar_one() != "ok":
        raise RuntimeError("the database failed its integrity check after the change")
