"""Agencies: one deployment may serve several, each the controller of its own register.

The table `agencies` gets one row, agency 1: the agency of a deployment that serves one
workspace, whose every row so far is. Every other table of the register gets `agency_id`,
filled with 1 (the column's default). The application names the agency of every row it writes
(storage.tenancy); on PostgreSQL row-level security refuses a row of another agency than the
transaction's.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"
THE_AGENCY = 1
AGENCY_OWNED = (
    "persons",
    "phone_numbers",
    "relationships",
    "consents",
    "distinct_persons",
    "meetings",
    "data_subject_requests",
    "disclosures",
    "request_alerts",
    "erasures",
    "staff",
    "audit_events",
    "audit_event_persons",
    "audit_pending",
    "audit_seals",
    "audit_chain_epochs",
    "audit_chain_prunings",
    "job_runs",
    "outbox_messages",
    "handled_events",
    "slack_files",
    "slack_file_persons",
    "slack_messages",
    "slack_message_persons",
)


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_team_id", sa.String(length=32), nullable=True),
        sa.Column("slack_enterprise_id", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uninstalled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("slack_team_id", name=op.f("uq_agencies_slack_team_id")),
        sqlite_autoincrement=True,
    )
    op.execute(
        sa.text(
            "INSERT INTO agencies (id, name, created_at) VALUES (:id, '', CURRENT_TIMESTAMP)"
        ).bindparams(id=THE_AGENCY)
    )
    postgresql = op.get_context().dialect.name == "postgresql"
    for table in AGENCY_OWNED:
        # A constant default fills the rows that exist without rewriting the table.
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN agency_id INTEGER NOT NULL DEFAULT {THE_AGENCY}"
        )
    if postgresql:
        op.execute("SELECT setval(pg_get_serial_sequence('agencies', 'id'), 1)")
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON agencies TO {APP_ROLE}")
        op.execute(
            f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {_sequence_of('agencies')} TO {APP_ROLE}"
        )
    else:
        op.execute("INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES ('agencies', 1)")


def downgrade() -> None:
    for table in AGENCY_OWNED:
        op.execute(f"ALTER TABLE {table} DROP COLUMN agency_id")
    op.drop_table("agencies")


def _sequence_of(table: str) -> str:
    sequence = op.get_bind().execute(
        sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
    )
    name: str = sequence.scalar_one()
    return name
