"""The audit trail against the database's own users: whose role an act changed, the epochs of
the keyed chain, and on PostgreSQL the group role `register_app` the bot runs as.

`register_app` owns nothing. It may read and write the register's tables, but only read and
append to the audit trail (`audit_events`, `audit_chain_epochs`), and only read
`alembic_version`; as it owns no table it cannot disable their triggers either. Tables and
sequences that later migrations create, as the same owner, reach it by default privileges.
The role is cluster-wide: it is created if missing and never dropped.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APP_ROLE = "register_app"
APPEND_ONLY_TABLES = ("audit_events", "audit_chain_epochs")
READ_ONLY_TABLES = ("alembic_version",)
CREATE_HINT = (
    f"As a superuser: CREATE ROLE {APP_ROLE} NOLOGIN; (docs/operations.md, Database roles)"
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.add_column(sa.Column("target", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_events_target"), ["target"], unique=False)
    op.create_table(
        "audit_chain_epochs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("keyed_after_id", sa.Integer(), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_epochs")),
        sqlite_autoincrement=True,
    )
    if op.get_context().dialect.name == "postgresql":
        _grant_to_app_role()


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _revoke_from_app_role()
    op.drop_table("audit_chain_epochs")
    with op.batch_alter_table("audit_events") as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_target"))
        batch_op.drop_column("target")


def _schema() -> str:
    name = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    return op.get_context().dialect.identifier_preparer.quote(name)


def _grant_to_app_role() -> None:
    op.execute(
        f"""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                CREATE ROLE {APP_ROLE} NOLOGIN;
            END IF;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'the role {APP_ROLE} is missing and % may not create it',
                    current_user USING HINT = '{CREATE_HINT}';
        END
        $$
        """
    )
    schema = _schema()
    op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {APP_ROLE}")
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {APP_ROLE}"
    )
    # UPDATE: after a restore the bot raises the id sequences past every id it ever gave.
    op.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {APP_ROLE}")
    for table in APPEND_ONLY_TABLES:
        op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {APP_ROLE}")
    for table in READ_ONLY_TABLES:
        op.execute(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM {APP_ROLE}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {APP_ROLE}"
    )


def _revoke_from_app_role() -> None:
    schema = _schema()
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM {APP_ROLE}"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        f"REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM {APP_ROLE}"
    )
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {APP_ROLE}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {APP_ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA {schema} FROM {APP_ROLE}")
