"""The audit trail's retention: a record of each pruning (the chain's new start, sealed with
the chain's key), and the append-only guard relaxed to let the table's owner delete the events
a pruning covers, and nothing else.

On PostgreSQL `register_app` may read and append to the prunings, never change them, and still
may not delete from `audit_events` at all: pruning runs as the owner (DATABASE_OWNER_URL).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"
TABLE = "audit_chain_prunings"
APPEND_ONLY_MESSAGE = "audit_events is append-only"
PRUNED = f"(SELECT COALESCE(MAX(pruned_through_id), 0) FROM {TABLE})"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pruned_through_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("pruned_count", sa.Integer(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_prunings")),
        sqlite_autoincrement=True,
    )
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND OLD.id <= {PRUNED} THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}';
            END
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(f"GRANT SELECT, INSERT ON {TABLE} TO {APP_ROLE}")
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {TABLE} FROM {APP_ROLE}")
        sequence = op.get_bind().execute(
            sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": TABLE}
        )
        op.execute(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {sequence.scalar_one()} TO {APP_ROLE}")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        op.execute(
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
            f"WHEN OLD.id > {PRUNED} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}';
            END
            $$ LANGUAGE plpgsql
            """
        )
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        op.execute(
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )
    op.drop_table(TABLE)
