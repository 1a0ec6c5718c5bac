"""Plays the tamperer: lifts the database's guards on the audit trail, as an intruder could."""

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session


def lift_audit_guards(executor: Connection | Session) -> None:
    bind = executor.get_bind() if isinstance(executor, Session) else executor
    if bind.dialect.name == "postgresql":
        executor.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    else:
        executor.execute(text("DROP TRIGGER audit_events_no_update"))
        executor.execute(text("DROP TRIGGER audit_events_no_delete"))
