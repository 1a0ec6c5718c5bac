"""What the audit trail says a staff member searched for."""

from sqlalchemy import select

from storage.db import Database
from storage.models import AuditEvent


def search_audit(database: Database, actor: str) -> list[tuple[int | None, str | None]]:
    with database.transaction() as session:
        rows = session.execute(
            select(AuditEvent.person_id, AuditEvent.purpose)
            .where(AuditEvent.actor == actor, AuditEvent.action == "person.search")
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]
