"""Which tables hold a person's data, found from the models so that a table or column added
later is covered without being listed here."""

from typing import Any

from sqlalchemy import Column, Table

from storage.models import Base

PERSON_TABLE = "persons"
# Rows that name a person by id only and outlive them: the audit trail (no foreign key, so it
# survives an erasure) and the erasure records themselves.
BY_ID_ONLY = frozenset({"audit_events", "audit_event_persons", "erasures"})
# Columns of a kept table (is_kept_on_erasure) that identify or describe the person: emptied
# when the person is erased, so that what stays is pseudonymous.
BLANKED_ON_ERASURE: dict[str, tuple[str, ...]] = {
    "data_subject_requests": ("requester_name", "requester_contact", "details"),
}


def model_of(table: Table) -> type[Base]:
    """The model mapped to the table, so that statements on it keep the session in step."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            model: type[Base] = mapper.class_
            return model
    raise LookupError(table.name)


def person_column(table: Table) -> Column[Any]:
    column: Column[Any] = table.columns["person_id"]
    return column


def is_kept_on_erasure(table: Table) -> bool:
    """A table whose reference to the person becomes NULL when the person goes (e.g. requests)."""
    return any(fk.ondelete == "SET NULL" for fk in person_column(table).foreign_keys)


def tables_about_a_person() -> list[Table]:
    """Every table with a row per fact about a person, in dependency order; persons itself not
    included, nor the by-id-only trails."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if "person_id" in table.columns and table.name not in BY_ID_ONLY
    ]
