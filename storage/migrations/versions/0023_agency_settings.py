"""Agency settings: each agency's own reminder channel, time zone, default language, retention
periods and register description, beside the deployment's.

Every column is nullable: an agency that has not set a value uses the deployment's setting from
the environment, so a single-workspace deployment goes on as before.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: dict[str, sa.types.TypeEngine[Any]] = {
    "reminder_channel_id": sa.String(length=32),
    "timezone": sa.String(length=64),
    "default_language": sa.String(length=2),
    "retention_customer_months": sa.Integer(),
    "retention_member_months": sa.Integer(),
    "retention_stakeholder_months": sa.Integer(),
    "request_retention_years": sa.Integer(),
    "audit_retention_years": sa.Integer(),
    "register_description": sa.Text(),
}


def upgrade() -> None:
    for name, kind in COLUMNS.items():
        op.add_column("agencies", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.execute(f"ALTER TABLE agencies DROP COLUMN {name}")
