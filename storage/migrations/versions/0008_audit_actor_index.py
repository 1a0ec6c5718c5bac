"""An index on the audit trail by actor and time, for counting a staff member's recent card
look-ups (bulk look-up reports).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_events_actor_at", "audit_events", ["actor", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_events_actor_at", table_name="audit_events")
