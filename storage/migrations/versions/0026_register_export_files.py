"""Files in Slack of a new kind: the export of an agency's whole register, sent to its admin's
direct message and deleted from Slack with the other files on time.

The kind is a check constraint. On PostgreSQL it is replaced; on SQLite its text in the schema
is rewritten, as 0011 does it (widening a check needs no row rewritten; narrowing it back runs
after the rows it would refuse are gone).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 07:00:00
"""

import re
from collections.abc import Sequence

from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE, COLUMN, CONSTRAINT = "slack_files", "kind", "ck_slack_files_slackfilekind"
BEFORE = ("access_package", "report", "survey_list", "recipients_list", "portability_package")
ADDED = ("register_export",)


def upgrade() -> None:
    _replace_check(BEFORE + ADDED)


def downgrade() -> None:
    """Records of exports in Slack go (the files themselves stay there)."""
    op.execute(f"DELETE FROM {TABLE} WHERE kind IN ({_listed(ADDED)})")
    _replace_check(BEFORE)


def _listed(values: Sequence[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _replace_check(values: Sequence[str]) -> None:
    check = f"{COLUMN} IN ({_listed(values)})"
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        op.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {CONSTRAINT}")
        op.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {CONSTRAINT} CHECK ({check})")
        return
    ddl = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).scalar_one()
    found = re.search(rf"CONSTRAINT {CONSTRAINT} CHECK \(\w+ IN \([^)]*\)\)", ddl)
    if found is None:
        raise RuntimeError(f"{CONSTRAINT} not found in the schema of {TABLE}")
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema = ON")
    connection.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
        (ddl.replace(found.group(0), f"CONSTRAINT {CONSTRAINT} CHECK ({check})"), TABLE),
    )
    connection.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema = OFF")
