"""One audit chain per agency: a seal's place is counted in its agency's chain (the primary key
of `audit_seals` becomes (agency_id, seq)), the database queues each new event in its own
agency, and the append-only guards let the owner delete only what a pruning of the row's own
agency covers.

Every event, seal, epoch and pruning there is belongs to agency 1 (revision 0019), whose chain
they stay: their places, hashes and formats do not change, so they verify as before. The grants
of revisions 0007, 0010 and 0013 to `register_app` stand; no table is created.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

THE_AGENCY = 1
ONE_CHAIN_FORMATS = (1, 2)  # storage.audit_chain: LEGACY_FORMAT, EVENT_FORMAT
GUARDED = ("audit_events", "audit_seals", "audit_event_persons")


def _pruned(agency: str) -> str:
    return (
        "(SELECT COALESCE(MAX(p.pruned_through_seq), 0) FROM audit_chain_prunings p "
        f"WHERE p.agency_id = {agency})"
    )


# A row a pruning of its own agency covers: its event's seal is within that agency's pruned
# prefix of its chain.
PRUNABLE = {
    "audit_events": "EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = OLD.id "
    f"AND s.agency_id = OLD.agency_id AND s.seq <= {_pruned('s.agency_id')})",
    "audit_seals": f"OLD.seq <= {_pruned('OLD.agency_id')}",
    "audit_event_persons": "EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = OLD.event_id "
    f"AND s.agency_id = OLD.agency_id AND s.seq <= {_pruned('s.agency_id')})",
}
# As revision 0013 left them: one chain, one pruned prefix.
ONE_CHAIN_PRUNED = "(SELECT COALESCE(MAX(pruned_through_seq), 0) FROM audit_chain_prunings)"
ONE_CHAIN_PRUNABLE = {
    "audit_events": "EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = OLD.id "
    f"AND s.seq <= {ONE_CHAIN_PRUNED})",
    "audit_seals": f"OLD.seq <= {ONE_CHAIN_PRUNED}",
    "audit_event_persons": "EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = OLD.event_id "
    f"AND s.seq <= {ONE_CHAIN_PRUNED})",
}


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE audit_seals DROP CONSTRAINT pk_audit_seals, "
            "ADD CONSTRAINT pk_audit_seals PRIMARY KEY (agency_id, seq)"
        )
        _guard_postgresql(PRUNABLE)
        _queue_postgresql("(event_id, agency_id) VALUES (NEW.id, NEW.agency_id)")
    else:
        _rebuild_sqlite_seals(["agency_id", "seq"])
        _guard_sqlite(PRUNABLE)
        _queue_sqlite("(event_id, agency_id) VALUES (NEW.id, NEW.agency_id)")


def downgrade() -> None:
    """Back to the one chain, which only agency 1's seals of its formats can be."""
    connection = op.get_bind()
    formats = ", ".join(str(number) for number in ONE_CHAIN_FORMATS)
    newer = connection.execute(
        sa.text(
            f"SELECT COUNT(*) FROM audit_seals WHERE format NOT IN ({formats}) "
            f"OR agency_id <> {THE_AGENCY}"
        )
    ).scalar_one()
    unsealed = connection.execute(sa.text("SELECT COUNT(*) FROM audit_pending")).scalar_one()
    if newer or unsealed:
        raise RuntimeError("events sealed after revision 0021 have no place in the one chain")
    if op.get_context().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE audit_seals DROP CONSTRAINT pk_audit_seals, "
            "ADD CONSTRAINT pk_audit_seals PRIMARY KEY (seq)"
        )
        _guard_postgresql(ONE_CHAIN_PRUNABLE)
        _queue_postgresql("(event_id) VALUES (NEW.id)")
    else:
        _rebuild_sqlite_seals(["seq"])
        _guard_sqlite(ONE_CHAIN_PRUNABLE)
        _queue_sqlite("(event_id) VALUES (NEW.id)")


def _guard_postgresql(prunable: dict[str, str]) -> None:
    """The functions the append-only triggers of revision 0013 call, with the new bound."""
    for table in GUARDED:
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND {prunable[table]} THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{table} is append-only';
            END
            $$ LANGUAGE plpgsql
            """
        )


def _queue_postgresql(insert: str) -> None:
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION audit_events_queue() RETURNS trigger AS $$
        BEGIN
            INSERT INTO audit_pending {insert};
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    )


def _rebuild_sqlite_seals(primary_key: list[str]) -> None:
    """SQLite changes a primary key by copying the table, which loses its triggers, and renames
    the copy only when no trigger names the table: the guards are dropped first and made again
    by `_guard_sqlite`."""
    op.execute("DROP TRIGGER IF EXISTS audit_seals_no_update")
    for table in GUARDED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    with op.batch_alter_table("audit_seals", recreate="always") as batch_op:
        batch_op.drop_constraint("pk_audit_seals", type_="primary")
        batch_op.create_primary_key("pk_audit_seals", primary_key)


def _guard_sqlite(prunable: dict[str, str]) -> None:
    for table in GUARDED:
        message = f"{table} is append-only"
        if table == "audit_seals":
            op.execute("DROP TRIGGER IF EXISTS audit_seals_no_update")
            op.execute(
                "CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT {prunable[table]} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def _queue_sqlite(insert: str) -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_events_queue")
    op.execute(
        "CREATE TRIGGER audit_events_queue AFTER INSERT ON audit_events BEGIN "
        f"INSERT INTO audit_pending {insert}; END"
    )
