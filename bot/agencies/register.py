"""An agency's whole register exported or erased, with the roles and the ledger it needs.

On PostgreSQL the bot's own role may not delete audit events: the erasure runs as the tables'
owner (DATABASE_OWNER_URL) when one is set, as the audit trail's pruning does. Whatever role
runs it, the erasure ledger hears of every person erased.
"""

from pathlib import Path
from typing import IO

from bot.runtime.ledger_hook import keep_ledger
from bot.runtime.settings import Settings
from storage import agency_register, audit
from storage.agency_register import RegisterErasure, RegisterExport
from storage.db import Database


def export_register(
    database: Database, *, agency: int, actor: str, out: IO[bytes]
) -> RegisterExport:
    """The consultation is audited first, in a short transaction of its own; the archive is
    written in a read transaction that holds no lock other writers wait for (SQLite's write
    lock), however long it takes."""
    with database.transaction(agency=agency) as session:
        agency_register.record_export(session=session, actor=actor)
    with database.reading(agency=agency, statement_timeout_ms=0) as session:
        if database.backend == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return agency_register.export_register(session=session, out=out)


def export_register_to(
    database: Database, *, agency: int, actor: str, path: Path
) -> RegisterExport:
    """Writes the archive to `path` (readable by its owner alone); a failed export leaves no
    part of a file behind."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as out:
            partial.chmod(0o600)
            done = export_register(database, agency=agency, actor=actor, out=out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return done


def erase_register(
    database: Database, settings: Settings, *, agency: int, actor: str
) -> RegisterErasure:
    owner_url = settings.database_owner_url
    if owner_url is None or database.backend != "postgresql":
        return _erase(database, agency=agency, actor=actor)
    with database.reading(agency=agency) as session:
        key = audit.chain_key(session)
    owner = Database(owner_url, audit_chain_key=key, agency=agency)
    keep_ledger(owner, settings.erasure_ledger_path)
    try:
        return _erase(owner, agency=agency, actor=actor)
    finally:
        owner.dispose()


def _erase(database: Database, *, agency: int, actor: str) -> RegisterErasure:
    with database.transaction(agency=agency, statement_timeout_ms=0) as session:
        return agency_register.erase_register(session=session, actor=actor)
