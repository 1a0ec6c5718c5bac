"""The database queues each new audit event for the sealer itself: a trigger on `audit_events`
inserts its row into `audit_pending`, so that an append is one statement fewer and no writer
(the bot, or whoever else can insert) can leave an event out of the queue.

A later migration that rebuilds `audit_events` on SQLite must create the trigger again.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 23:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION audit_events_queue() RETURNS trigger AS $$
            BEGIN
                INSERT INTO audit_pending (event_id) VALUES (NEW.id);
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_events_queue AFTER INSERT ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_queue()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_events_queue AFTER INSERT ON audit_events BEGIN "
            "INSERT INTO audit_pending (event_id) VALUES (NEW.id); END"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_queue ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_queue()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_queue")
