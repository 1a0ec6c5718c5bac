"""Request alerts (each controller's message about a request) and the record of erasures.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("message_ts", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_subject_requests.id"],
            name=op.f("fk_request_alerts_request_id_data_subject_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_alerts")),
        sa.UniqueConstraint(
            "request_id", "slack_user_id", name=op.f("uq_request_alerts_request_id_slack_user_id")
        ),
    )
    op.create_index(
        op.f("ix_request_alerts_request_id"), "request_alerts", ["request_id"], unique=False
    )
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("person_reference", sa.String(length=12), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("erased_by", sa.String(length=32), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_subject_requests.id"],
            name=op.f("fk_erasures_request_id_data_subject_requests"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_index(op.f("ix_erasures_person_id"), "erasures", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_erasures_person_id"), table_name="erasures")
    op.drop_table("erasures")
    op.drop_index(op.f("ix_request_alerts_request_id"), table_name="request_alerts")
    op.drop_table("request_alerts")
