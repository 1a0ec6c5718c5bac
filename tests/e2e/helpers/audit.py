"""What the audit trail says a staff member searched for."""

from sqlalchemy import select

from storage.db import Database
from storage.models import AuditEvent, AuditEventPerson


def search_audit(database: Database, actor: str) -> list[tuple[int | None, str | None]]:
    """Each person the actor's searches showed, with the search's purpose, in order."""
    with database.transaction() as session:
        rows = session.execute(
            select(AuditEventPerson.person_id, AuditEvent.purpose)
            .join(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
            .where(AuditEvent.actor == actor, AuditEvent.action == "person.search")
            .order_by(AuditEvent.id, AuditEventPerson.person_id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]
