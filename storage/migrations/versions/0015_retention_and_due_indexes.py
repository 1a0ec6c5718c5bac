"""Indexes for the retention review at a national register's size: persons by last activity
(with the hold, and on PostgreSQL the id, so that the index alone answers), memberships by
their end (with the person), and relationships by person with their kind and end (replacing
the index on the person alone), from which the review finds the records due without reading
every person.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 23:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_persons_last_activity_at",
        "persons",
        ["last_activity_at", "retention_hold_until"],
        unique=False,
        postgresql_include=["id"],
    )
    op.create_index(
        "ix_relationships_kind_ended_on_person_id",
        "relationships",
        ["kind", "ended_on", "person_id"],
        unique=False,
    )
    op.create_index(
        "ix_relationships_person_id_kind_ended_on",
        "relationships",
        ["person_id", "kind", "ended_on"],
        unique=False,
    )
    op.drop_index(op.f("ix_relationships_person_id"), table_name="relationships")


def downgrade() -> None:
    op.create_index(
        op.f("ix_relationships_person_id"), "relationships", ["person_id"], unique=False
    )
    op.drop_index("ix_relationships_person_id_kind_ended_on", table_name="relationships")
    op.drop_index("ix_relationships_kind_ended_on_person_id", table_name="relationships")
    op.drop_index("ix_persons_last_activity_at", table_name="persons")
