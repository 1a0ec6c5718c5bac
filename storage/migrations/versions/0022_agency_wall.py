"""The database as the second wall between agencies (PostgreSQL; nothing on SQLite).

Every table that has `agency_id` when this runs, found in the catalog, gets row-level security,
forced on its owner too, with one policy for every command: only the rows of the transaction's
agency (`app.agency_id`) are seen, changed or written (storage.migrations.agency_wall). Without
the setting a query sees nothing and an insert fails.

`agencies` stays outside it: the bot looks an agency up by its Slack team before it acts for
it. `register_app` may read, add and change agencies, never delete one.

The audit trail's queue is filled by a trigger on `audit_events` (revision 0016), which left
`agency_id` to its default; unless a revision before this one changed it already, it now queues
each event under the event's own agency, or the wall would refuse the queue row of any agency
but the first.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations.agency_wall import agency_tables, on_postgresql, unwall, wall, walled_tables

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"


def upgrade() -> None:
    if not on_postgresql():
        return
    if "agency_id" not in _queue_function():
        _define_queue(columns="event_id, agency_id", values="NEW.id, NEW.agency_id")
    for table in agency_tables():
        wall(table)
    op.execute(f"REVOKE DELETE, TRUNCATE ON agencies FROM {APP_ROLE}")


def downgrade() -> None:
    if not on_postgresql():
        return
    for table in walled_tables():
        unwall(table)
    if _queue_function() == QUEUE_UNDER_THE_EVENTS_AGENCY:
        _define_queue(columns="event_id", values="NEW.id")


QUEUE_UNDER_THE_EVENTS_AGENCY = (
    "BEGIN INSERT INTO audit_pending (event_id, agency_id) VALUES (NEW.id, NEW.agency_id); "
    "RETURN NULL; END"
)


def _queue_function() -> str:
    """The body of the trigger function that queues audit events, as PostgreSQL keeps it."""
    body = op.get_bind().execute(
        sa.text("SELECT prosrc FROM pg_proc WHERE proname = 'audit_events_queue'")
    )
    return " ".join((body.scalar_one_or_none() or "").split())


def _define_queue(*, columns: str, values: str) -> None:
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_events_queue() RETURNS trigger AS $$ "
        f"BEGIN INSERT INTO audit_pending ({columns}) VALUES ({values}); RETURN NULL; END "
        "$$ LANGUAGE plpgsql"
    )
