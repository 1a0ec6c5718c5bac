"""Two more rights and closing on delivery: the request kinds `portability` (Art 20) and
`objection` (Art 21); the status `fulfilled`, between the act and the answer reaching the data
subject; how and when the answer reached them; an objection's scope; the outbox's and Slack
files' kind for the portability package.

The kinds are check constraints. On PostgreSQL each is replaced. SQLite cannot change one in
place, and `data_subject_requests` and `slack_files` cannot be rebuilt as 0009 rebuilt the
outbox: other tables refer to them, and with foreign keys enforced (they are, and a migration's
transaction cannot turn them off) dropping the old table would cascade to its children. So on
SQLite the constraint's text in the schema is rewritten, the procedure SQLite documents for
changing a CHECK constraint (https://sqlite.org/lang_altertable.html#otheralter): widening a
check needs no row rewritten, and narrowing it back runs after the rows it would refuse are
gone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 22:00:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REQUESTS = "data_subject_requests"
CHECKS = {
    # (table, column, constraint): (values before, values added)
    (REQUESTS, "kind", "ck_data_subject_requests_requestkind"): (
        ("access", "rectification", "erasure", "restriction"),
        ("portability", "objection"),
    ),
    (REQUESTS, "status", "ck_data_subject_requests_requeststatus"): (
        ("received", "in_progress", "completed", "rejected"),
        ("fulfilled",),
    ),
    ("outbox_messages", "kind", "ck_outbox_messages_outboxkind"): (
        (
            "request_alert",
            "request_update",
            "filer_outcome",
            "access_package",
            "recipients_to_tell",
            "follow_ups",
            "request_deadlines",
            "request_deadline_counts",
            "retention_review",
            "audit_broken",
            "filing_confirmation",
            "controller_notice",
            "slack_file_delete",
            "slack_message_redact",
        ),
        ("portability_package",),
    ),
    ("slack_files", "kind", "ck_slack_files_slackfilekind"): (
        ("access_package", "report", "survey_list", "recipients_list"),
        ("portability_package",),
    ),
}
# New columns with a check of their own: (column, constraint, values).
CHECKED_COLUMNS = (
    ("objection_scope", "ck_data_subject_requests_objectionscope", ("direct_marketing", "other")),
    ("answer_delivery", "ck_data_subject_requests_answerdelivery", ("email", "post", "in_person")),
)


def upgrade() -> None:
    for (table, column, name), (old, added) in CHECKS.items():
        _replace_check(table, name, _check(column, old + added))
    for column, name, values in CHECKED_COLUMNS:
        op.execute(
            f"ALTER TABLE {REQUESTS} ADD COLUMN {column} VARCHAR(32) "
            f"{_column_check(name, column, values)}"
        )
    op.add_column(REQUESTS, sa.Column("fulfilled_at", sa.DateTime(timezone=True)))
    op.add_column(REQUESTS, sa.Column("answered_on", sa.Date()))


def downgrade() -> None:
    """Messages, files and requests of the new kinds go; a fulfilled request is in progress
    again, as it was before the answer's delivery was recorded."""
    op.execute("DELETE FROM outbox_messages WHERE kind = 'portability_package'")
    op.execute("DELETE FROM slack_files WHERE kind = 'portability_package'")
    op.execute(f"DELETE FROM {REQUESTS} WHERE kind IN ('portability', 'objection')")
    op.execute(f"UPDATE {REQUESTS} SET status = 'in_progress' WHERE status = 'fulfilled'")
    op.drop_column(REQUESTS, "answered_on")
    op.drop_column(REQUESTS, "fulfilled_at")
    for column, name, values in reversed(CHECKED_COLUMNS):
        if _is_sqlite():
            _rewrite_sqlite_schema(REQUESTS, " " + _column_check(name, column, values), "")
        op.drop_column(REQUESTS, column)
    for (table, column, name), (old, _added) in CHECKS.items():
        _replace_check(table, name, _check(column, old))


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _quoted(value: str) -> str:
    return f"'{value}'"


def _check(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(map(_quoted, values))})"


def _column_check(name: str, column: str, values: Sequence[str]) -> str:
    return f"CONSTRAINT {name} CHECK ({_check(column, values)})"


def _replace_check(table: str, name: str, check: str) -> None:
    if not _is_sqlite():
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check})")
        return
    connection = op.get_bind()
    ddl = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    found = re.search(rf"CONSTRAINT {name} CHECK \(\w+ IN \([^)]*\)\)", ddl)
    if found is None:
        raise RuntimeError(f"{name} not found in the schema of {table}")
    _rewrite_sqlite_schema(table, found.group(0), f"CONSTRAINT {name} CHECK ({check})")


def _rewrite_sqlite_schema(table: str, old: str, new: str) -> None:
    """Replaces `old` with `new` in the table's CREATE TABLE text, and bumps the schema's
    version so that every connection reads it again."""
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
