"""The copies of the register's data left in Slack: the files the bot uploaded and the messages
that name a person, each with the persons it concerns; and the outbox's two new kinds of
message, a file's deletion and a message's redaction.

SQLite cannot change a check constraint in place: `outbox_messages` is rebuilt from its own
DDL with the new kinds, keeping its rows, indexes and AUTOINCREMENT counter (so no id is given
twice). On PostgreSQL the constraint is replaced, and the new tables are granted to
`register_app` as revision 0007 grants the register's tables (default privileges reach them
only when the same role created them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"
NEW_TABLES = ("slack_files", "slack_file_persons", "slack_messages", "slack_message_persons")
OUTBOX = "outbox_messages"
KIND_CHECK = "ck_outbox_messages_outboxkind"
OLD_KINDS = (
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
)
NEW_KINDS = ("slack_file_delete", "slack_message_redact")
OLD = "_old_"


def upgrade() -> None:
    op.create_table(
        "slack_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_file_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "access_package",
                "report",
                "survey_list",
                "recipients_list",
                name="slackfilekind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("uploaded_for", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("keep_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_subject_requests.id"],
            name=op.f("fk_slack_files_request_id_data_subject_requests"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_files")),
        sa.UniqueConstraint("slack_file_id", name=op.f("uq_slack_files_slack_file_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_slack_files_keep_until"), "slack_files", ["keep_until"])
    op.create_index(op.f("ix_slack_files_request_id"), "slack_files", ["request_id"])
    op.create_table(
        "slack_file_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["slack_files.id"],
            name=op.f("fk_slack_file_persons_file_id_slack_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_slack_file_persons_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_file_persons")),
        sa.UniqueConstraint(
            "file_id", "person_id", name=op.f("uq_slack_file_persons_file_id_person_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_slack_file_persons_person_id"), "slack_file_persons", ["person_id"])
    op.create_table(
        "slack_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_messages")),
        sa.UniqueConstraint(
            "channel_id", "message_ts", name=op.f("uq_slack_messages_channel_id_message_ts")
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "slack_message_persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["slack_messages.id"],
            name=op.f("fk_slack_message_persons_message_id_slack_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_slack_message_persons_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_message_persons")),
        sa.UniqueConstraint(
            "message_id", "person_id", name=op.f("uq_slack_message_persons_message_id_person_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_slack_message_persons_person_id"), "slack_message_persons", ["person_id"]
    )
    _allow_outbox_kinds(OLD_KINDS + NEW_KINDS)
    if op.get_context().dialect.name == "postgresql":
        _grant_to_app_role()


def downgrade() -> None:
    op.execute(
        sa.text(f"DELETE FROM {OUTBOX} WHERE kind IN ({', '.join(map(_quoted, NEW_KINDS))})")
    )
    _allow_outbox_kinds(OLD_KINDS)
    op.drop_index(op.f("ix_slack_message_persons_person_id"), table_name="slack_message_persons")
    op.drop_table("slack_message_persons")
    op.drop_table("slack_messages")
    op.drop_index(op.f("ix_slack_file_persons_person_id"), table_name="slack_file_persons")
    op.drop_table("slack_file_persons")
    op.drop_index(op.f("ix_slack_files_request_id"), table_name="slack_files")
    op.drop_index(op.f("ix_slack_files_keep_until"), table_name="slack_files")
    op.drop_table("slack_files")


def _quoted(value: str) -> str:
    return f"'{value}'"


def _kind_check(kinds: Sequence[str]) -> str:
    return f"kind IN ({', '.join(map(_quoted, kinds))})"


def _allow_outbox_kinds(kinds: Sequence[str]) -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _rebuild_sqlite_outbox(connection, _kind_check(kinds))
        return
    op.execute(f"ALTER TABLE {OUTBOX} DROP CONSTRAINT {KIND_CHECK}")
    op.execute(f"ALTER TABLE {OUTBOX} ADD CONSTRAINT {KIND_CHECK} CHECK ({_kind_check(kinds)})")


def _rebuild_sqlite_outbox(connection: Connection, check: str) -> None:
    """The outbox again from its own DDL with `check` as its kinds' constraint. Nothing refers
    to the outbox, so it can be renamed away, created anew, filled and dropped."""
    schema = connection.exec_driver_sql(
        "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL", (OUTBOX,)
    ).all()
    (ddl,) = [sql for kind, sql in schema if kind == "table"]
    indexes = [sql for kind, sql in schema if kind == "index"]
    start = ddl.index(f"CONSTRAINT {KIND_CHECK} CHECK (")
    end = ddl.index("))", start) + 2
    ddl = ddl[:start] + f"CONSTRAINT {KIND_CHECK} CHECK ({check})" + ddl[end:]
    counter = connection.exec_driver_sql(
        "SELECT seq FROM sqlite_sequence WHERE name = ?", (OUTBOX,)
    ).scalar()
    op.execute(f'ALTER TABLE "{OUTBOX}" RENAME TO "{OLD}{OUTBOX}"')
    op.execute(ddl)
    columns = ", ".join(
        f'"{row[1]}"' for row in connection.exec_driver_sql(f'PRAGMA table_info("{OUTBOX}")')
    )
    op.execute(f'INSERT INTO "{OUTBOX}" ({columns}) SELECT {columns} FROM "{OLD}{OUTBOX}"')
    op.execute(f'DROP TABLE "{OLD}{OUTBOX}"')
    for sql in indexes:
        op.execute(sql)
    if counter is not None:
        connection.execute(
            sa.text("UPDATE sqlite_sequence SET seq = :seq WHERE name = :name AND seq < :seq"),
            {"seq": counter, "name": OUTBOX},
        )
        connection.execute(
            sa.text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT :name, :seq "
                "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :name)"
            ),
            {"seq": counter, "name": OUTBOX},
        )


def _grant_to_app_role() -> None:
    """As 0007 grants the register's tables; the role exists since 0007."""
    for table in NEW_TABLES:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
        op.execute(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {_sequence_of(table)} TO {APP_ROLE}")


def _sequence_of(table: str) -> str:
    name = op.get_bind().execute(
        sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
    )
    return str(name.scalar_one())
