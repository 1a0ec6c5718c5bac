"""What would let the bot's database role past the wall between agencies (PostgreSQL).

Row-level security (storage.migrations.agency_wall) holds a role only if it is not a superuser,
has no BYPASSRLS, and owns no table: an owner may switch the wall off (ALTER TABLE … NO FORCE
ROW LEVEL SECURITY), and change the audit trail's guards too. SQLite has no roles: there the
wall is the application's alone, and nothing is reported.
"""

from enum import StrEnum

from sqlalchemy import text
from sqlalchemy.orm import Session


class RoleFault(StrEnum):
    SUPERUSER = "is a superuser"
    BYPASSES_ROW_LEVEL_SECURITY = "bypasses row-level security (BYPASSRLS)"
    OWNS_TABLES = "owns tables"


_ROLE = text(
    """
    SELECT r.rolsuper, r.rolbypassrls, EXISTS (
        SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%'
        AND pg_has_role(c.relowner, 'USAGE')
    ) AS owns_tables
    FROM pg_roles r WHERE r.rolname = current_user
    """
)


def role_faults(*, session: Session) -> tuple[RoleFault, ...]:
    """What lets the session's role past row-level security; empty when nothing does.

    A role that is a member of the tables' owner (and inherits its rights) counts as owning
    them."""
    if session.get_bind().dialect.name != "postgresql":
        return ()
    superuser, bypasses, owns_tables = session.execute(_ROLE).one()
    found = (
        (RoleFault.SUPERUSER, superuser),
        (RoleFault.BYPASSES_ROW_LEVEL_SECURITY, bypasses),
        (RoleFault.OWNS_TABLES, owns_tables),
    )
    return tuple(fault for fault, present in found if present)
