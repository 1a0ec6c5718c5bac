"""The audit trail sealed after the fact: an act is one event with the persons it concerns
(`audit_event_persons`), queued in `audit_pending` as it is appended; a sealer then gives each
event its place in the chain and its HMAC in `audit_seals`, without a lock on the append.

The events' own hash columns move to `audit_seals` (format 1, `seq` = the event's id), where the
formula that sealed them still checks them; their persons become links. The epochs' and the
prunings' boundaries are places in the chain from now on, which for the moved events are their
ids, so the stored values and their seals keep their meaning.

Seals and links are append-only as the events are: `register_app` may read and insert them,
and the owner may delete only what a pruning covers. `register_app` may delete from the queue.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"
LEGACY_FORMAT = 1
PRUNED = "(SELECT COALESCE(MAX(pruned_through_seq), 0) FROM audit_chain_prunings)"
OLD_PRUNED = "(SELECT COALESCE(MAX(pruned_through_id), 0) FROM audit_chain_prunings)"
APPEND_ONLY_TABLES = ("audit_seals", "audit_event_persons")
# A row a pruning covers: its event's seal is within the pruned prefix of the chain.
PRUNABLE = {
    "audit_events": f"EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = OLD.id "
    f"AND s.seq <= {PRUNED})",
    "audit_seals": f"OLD.seq <= {PRUNED}",
    "audit_event_persons": f"EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = OLD.event_id "
    f"AND s.seq <= {PRUNED})",
}


def upgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    if not postgresql:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    op.create_table(
        "audit_event_persons",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "person_id", name=op.f("pk_audit_event_persons")),
    )
    op.create_index(op.f("ix_audit_event_persons_person_id"), "audit_event_persons", ["person_id"])
    op.create_table(
        "audit_pending",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_audit_pending")),
    )
    op.create_table(
        "audit_seals",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.SmallInteger(), nullable=False),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_seals")),
        sa.UniqueConstraint("event_id", name=op.f("uq_audit_seals_event_id")),
    )
    op.execute(
        "INSERT INTO audit_seals (seq, event_id, format, previous_hash, hash, sealed_at) "
        f"SELECT id, id, {LEGACY_FORMAT}, previous_hash, hash, at FROM audit_events"
    )
    op.execute(
        "INSERT INTO audit_event_persons (event_id, person_id) "
        "SELECT id, person_id FROM audit_events WHERE person_id IS NOT NULL"
    )
    op.execute("ALTER TABLE audit_events DROP COLUMN previous_hash")
    op.execute("ALTER TABLE audit_events DROP COLUMN hash")
    op.execute("ALTER TABLE audit_chain_epochs RENAME COLUMN keyed_after_id TO keyed_after_seq")
    op.execute(
        "ALTER TABLE audit_chain_prunings RENAME COLUMN pruned_through_id TO pruned_through_seq"
    )
    if postgresql:
        _guard_postgresql()
    else:
        _guard_sqlite()


def _guard_postgresql() -> None:
    for table in ("audit_events", *APPEND_ONLY_TABLES):
        function = f"{table}_append_only"
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND {PRUNABLE[table]} THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '{table} is append-only';
            END
            $$ LANGUAGE plpgsql
            """
        )
        if table == "audit_events":
            continue  # its triggers, from 0001, call the function replaced above
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
        op.execute(f"GRANT SELECT, INSERT ON {table} TO {APP_ROLE}")
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, DELETE ON audit_pending TO {APP_ROLE}")
    op.execute(f"REVOKE UPDATE, TRUNCATE ON audit_pending FROM {APP_ROLE}")


def _guard_sqlite() -> None:
    for table in ("audit_events", *APPEND_ONLY_TABLES):
        message = f"{table} is append-only"
        if table != "audit_events":
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT {PRUNABLE[table]} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def downgrade() -> None:
    """Back to hashes in the events, which only the moved (format 1) seals can give."""
    connection = op.get_bind()
    postgresql = op.get_context().dialect.name == "postgresql"
    newer = connection.execute(
        sa.text(f"SELECT COUNT(*) FROM audit_seals WHERE format <> {LEGACY_FORMAT}")
    ).scalar_one()
    unsealed = connection.execute(sa.text("SELECT COUNT(*) FROM audit_pending")).scalar_one()
    if newer or unsealed:
        raise RuntimeError("events sealed after revision 0013 have no place in the older chain")
    for table in APPEND_ONLY_TABLES:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.execute(
        "ALTER TABLE audit_chain_prunings RENAME COLUMN pruned_through_seq TO pruned_through_id"
    )
    op.execute("ALTER TABLE audit_chain_epochs RENAME COLUMN keyed_after_seq TO keyed_after_id")
    for column in ("previous_hash", "hash"):
        op.execute(f"ALTER TABLE audit_events ADD COLUMN {column} VARCHAR(64) NOT NULL DEFAULT ''")
    if postgresql:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    own_seal = "FROM audit_seals s WHERE s.event_id = audit_events.id"
    op.execute(
        f"UPDATE audit_events SET previous_hash = (SELECT s.previous_hash {own_seal}), "
        f"hash = (SELECT s.hash {own_seal})"
    )
    if postgresql:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change")
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'DELETE' AND OLD.id <= {OLD_PRUNED} THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION 'audit_events is append-only';
            END
            $$ LANGUAGE plpgsql
            """
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
            f"WHEN OLD.id > {OLD_PRUNED} "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )
    op.drop_table("audit_seals")
    op.drop_table("audit_pending")
    op.drop_index(op.f("ix_audit_event_persons_person_id"), table_name="audit_event_persons")
    op.drop_table("audit_event_persons")
