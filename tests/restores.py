"""What restoring an older backup does to the register, simulated in place: the erased person
back with their key, the erasure record gone, the id sequence as it was."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from storage.models import Erasure, Person


@dataclass(frozen=True)
class Saved:
    """A person as a backup holds them."""

    id: int
    person_key: UUID
    reference: str
    created_at: datetime

    @classmethod
    def of(cls, person: Person) -> "Saved":
        return cls(person.id, person.person_key, person.reference, person.created_at)


def rewind_sequence(session: Session, table: str, value: int) -> None:
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("UPDATE sqlite_sequence SET seq = :value WHERE name = :table"),
            {"value": value, "table": table},
        )
    else:
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
            {"value": value, "table": table},
        )


def restore_from_before_the_erasure(session: Session, saved: Saved) -> None:
    """A backup taken after the person was added and before they were erased."""
    session.execute(delete(Erasure))
    session.add(
        Person(
            id=saved.id,
            person_key=saved.person_key,
            reference=saved.reference,
            first_name="Palautettu",
            last_name="Varmuuskopio",
            created_at=saved.created_at,
        )
    )
    session.flush()
    rewind_sequence(session, "persons", saved.id)


def restore_from_before_the_person(session: Session, saved: Saved) -> None:
    """A backup taken before the person was added: no row, no erasure, the sequence behind."""
    session.execute(delete(Erasure))
    rewind_sequence(session, "persons", saved.id - 1)
