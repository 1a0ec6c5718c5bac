"""The database's wall between agencies, for migrations: PostgreSQL row-level security on every
table of one agency's rows, and acting for each agency in turn behind it.

A table with `agency_id` gets `ENABLE` and `FORCE ROW LEVEL SECURITY` and one policy for every
command: a row is seen, changed, deleted or written only when its agency is the transaction's
`app.agency_id` (storage.tenancy sets it). Without the setting nothing is seen and nothing can
be written. FORCE holds the owner of the tables too, so a migration that reads or rewrites
rows after the wall is up must act for each agency in turn (`each_agency`). Superusers, and
roles with BYPASSRLS, pass through it: the bot must be neither (storage.database_roles).

On SQLite every step here does nothing: the wall there is the application's alone.

A later migration that adds a table of one agency's rows puts the wall on it with
`wall(table)`, and takes it down in its downgrade with `unwall(table)`.
"""

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

from storage.tenancy import AGENCY_SETTING

POLICY = "agency_wall"
AGENCY_COLUMN = "agency_id"
# The transaction's agency; NULL (no row matches) when the setting is missing or empty.
TRANSACTIONS_AGENCY = f"nullif(current_setting('{AGENCY_SETTING}', true), '')::integer"


def on_postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def agency_tables() -> list[str]:
    """The tables of the current schema that have an agency column, found in the catalog."""
    if not on_postgresql():
        return []
    found = op.get_bind().execute(
        sa.text(
            "SELECT c.relname FROM pg_class c "
            "JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE c.relnamespace = current_schema()::regnamespace "
            "AND c.relkind IN ('r', 'p') AND a.attname = :column AND NOT a.attisdropped "
            "ORDER BY c.relname"
        ),
        {"column": AGENCY_COLUMN},
    )
    return list(found.scalars())


def wall(table: str) -> None:
    """Only the transaction's agency's rows of `table` are seen or written, by anyone but a
    superuser or a role that bypasses row-level security."""
    if not on_postgresql():
        return
    name = _quoted(table)
    op.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {POLICY} ON {name} FOR ALL "
        f"USING ({AGENCY_COLUMN} = {TRANSACTIONS_AGENCY}) "
        f"WITH CHECK ({AGENCY_COLUMN} = {TRANSACTIONS_AGENCY})"
    )


def unwall(table: str) -> None:
    if not on_postgresql():
        return
    name = _quoted(table)
    op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {name}")
    op.execute(f"ALTER TABLE {name} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {name} DISABLE ROW LEVEL SECURITY")


def walled_tables() -> list[str]:
    """The tables of the current schema that have the wall's policy."""
    if not on_postgresql():
        return []
    found = op.get_bind().execute(
        sa.text(
            "SELECT tablename FROM pg_policies "
            "WHERE schemaname = current_schema() AND policyname = :policy ORDER BY tablename"
        ),
        {"policy": POLICY},
    )
    return list(found.scalars())


def act_for(agency: int | None) -> None:
    """The rest of the migration's transaction acts for `agency` (None: for none)."""
    if not on_postgresql():
        return
    op.get_bind().execute(
        sa.text("SELECT set_config(:name, :agency, true)"),
        {"name": AGENCY_SETTING, "agency": "" if agency is None else str(agency)},
    )


def each_agency() -> Iterator[int]:
    """Every agency's id in turn, the migration acting for it while the loop's body runs:

        for agency in each_agency():
            op.execute(
                sa.text("UPDATE meetings SET ... WHERE agency_id = :agency")
                .bindparams(agency=agency)
            )

    On PostgreSQL the body sees and writes only that agency's rows; on SQLite it sees every
    agency's, so it names the agency itself, as above. Afterwards the migration acts for none
    again."""
    agencies = list(op.get_bind().execute(sa.text("SELECT id FROM agencies ORDER BY id")).scalars())
    try:
        for agency in agencies:
            act_for(agency)
            yield agency
    finally:
        act_for(None)


def _quoted(table: str) -> str:
    return op.get_context().dialect.identifier_preparer.quote(table)
