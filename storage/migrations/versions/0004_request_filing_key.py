"""A filing key on data-subject requests, so that a form sent twice files one request.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "data_subject_requests", sa.Column("filing_key", sa.String(length=100), nullable=True)
    )
    op.create_index(
        op.f("ix_data_subject_requests_filing_key"),
        "data_subject_requests",
        ["filing_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_data_subject_requests_filing_key"), table_name="data_subject_requests")
    with op.batch_alter_table("data_subject_requests") as batch_op:
        batch_op.drop_column("filing_key")
