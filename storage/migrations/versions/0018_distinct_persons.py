"""Persons found not to be the same person: when staff save a person anyway despite the
duplicate warning, the pair is remembered (a row each way), so that a later edit of either
does not warn of the other again. Both rows go with either person (ON DELETE CASCADE). On
PostgreSQL the table is granted to `register_app` as revision 0007 grants the register's
tables.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"
TABLE = "distinct_persons"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("other_person_id", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_distinct_persons_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_person_id"],
            ["persons.id"],
            name=op.f("fk_distinct_persons_other_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distinct_persons")),
        sa.UniqueConstraint(
            "person_id",
            "other_person_id",
            name=op.f("uq_distinct_persons_person_id_other_person_id"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_distinct_persons_other_person_id"), TABLE, ["other_person_id"])
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO {APP_ROLE}")
        sequence = op.get_bind().execute(
            sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": TABLE}
        )
        op.execute(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {sequence.scalar_one()} TO {APP_ROLE}")


def downgrade() -> None:
    op.drop_index(op.f("ix_distinct_persons_other_person_id"), table_name=TABLE)
    op.drop_table(TABLE)
