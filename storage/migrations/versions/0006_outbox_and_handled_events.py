"""The outbox of messages the bot must deliver, the Slack events already handled, and a creation
key on persons so that a form sent twice creates one person.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
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
                name="outboxkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "delivered",
                "failed",
                "cancelled",
                name="outboxstatus",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_subject_requests.id"],
            name=op.f("fk_outbox_messages_request_id_data_subject_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_messages_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_outbox_messages_request_id"), "outbox_messages", ["request_id"], unique=False
    )
    op.create_index(op.f("ix_outbox_messages_status"), "outbox_messages", ["status"], unique=False)
    op.create_table(
        "handled_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handled_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_handled_events_event_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_handled_events_handled_at"), "handled_events", ["handled_at"], unique=False
    )
    op.add_column("persons", sa.Column("creation_key", sa.String(length=100), nullable=True))
    op.create_index(op.f("ix_persons_creation_key"), "persons", ["creation_key"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_persons_creation_key"), table_name="persons")
    with op.batch_alter_table("persons") as batch_op:
        batch_op.drop_column("creation_key")
    op.drop_index(op.f("ix_handled_events_handled_at"), table_name="handled_events")
    op.drop_table("handled_events")
    op.drop_index(op.f("ix_outbox_messages_status"), table_name="outbox_messages")
    op.drop_index(op.f("ix_outbox_messages_request_id"), table_name="outbox_messages")
    op.drop_table("outbox_messages")
