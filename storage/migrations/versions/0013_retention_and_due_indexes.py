"""Indexes for the scheduled jobs at a national register's size: persons by last activity and
memberships by their end, from which the retention review finds the records that may be due
without reading every person.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_persons_last_activity_at"), "persons", ["last_activity_at"], unique=False
    )
    op.create_index(
        "ix_relationships_kind_ended_on", "relationships", ["kind", "ended_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_relationships_kind_ended_on", table_name="relationships")
    op.drop_index(op.f("ix_persons_last_activity_at"), table_name="persons")
