"""High-water marks: the highest id each table has ever given, and raising the id sequences
back to them after a restore.

A restored backup brings back its sequences too (PostgreSQL's sequences, SQLite's
`sqlite_sequence`), so ids given after the backup was taken would be given again. Marks kept
outside the database (the erasure ledger, the audit anchors) say how far each sequence had got;
raising every sequence to at least them means no id is ever given twice.

The sequences are the deployment's, shared by every agency (an id is never given twice in the
whole database); the highest id read from a table is the session's agency's.
"""

from collections.abc import Mapping

from sqlalchemy import Integer, Table, func, select, text
from sqlalchemy.orm import Session

from storage.models import Base
from storage.tenancy import rows_of

Marks = dict[str, int]


def tables_with_ids() -> list[Table]:
    """Every table whose rows get their id from a sequence (not those whose key is given, as
    the audit seals' places in the chain)."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if len(table.primary_key.columns) == 1
        and isinstance(next(iter(table.primary_key.columns)).type, Integer)
        and next(iter(table.primary_key.columns)).autoincrement is not False
    ]


def _sequence_value(session: Session, table: Table) -> int:
    if session.get_bind().dialect.name == "sqlite":
        value = session.scalar(
            text("SELECT seq FROM sqlite_sequence WHERE name = :table"), {"table": table.name}
        )
    else:
        value = session.scalar(
            text("SELECT pg_sequence_last_value(pg_get_serial_sequence(:table, 'id')::regclass)"),
            {"table": table.name},
        )
    return int(value or 0)


def high_water_marks(*, session: Session) -> Marks:
    """Per table, the highest id given so far: the sequence's value or the highest id there."""
    marks: Marks = {}
    for table in tables_with_ids():
        (id_column,) = table.primary_key.columns
        highest = select(func.max(id_column))
        if "agency_id" in table.columns:
            highest = highest.where(rows_of(session, table))
        marks[table.name] = max(session.scalar(highest) or 0, _sequence_value(session, table))
    return marks


def raise_sequences(*, session: Session, marks: Mapping[str, int]) -> Marks:
    """Raises each table's sequence to at least its mark, so the next id is above it; never
    lowers one. Marks of tables the register does not have are ignored. The tables raised,
    with their marks."""
    raised: Marks = {}
    current = high_water_marks(session=session)
    for table in tables_with_ids():
        mark = marks.get(table.name)
        if mark is None or mark <= current[table.name]:
            continue
        _set_sequence(session, table, int(mark))
        raised[table.name] = int(mark)
    return raised


def _set_sequence(session: Session, table: Table, mark: int) -> None:
    parameters = {"table": table.name, "mark": mark}
    if session.get_bind().dialect.name != "sqlite":
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :mark)"), parameters
        )
        return
    updated = session.execute(
        text("UPDATE sqlite_sequence SET seq = :mark WHERE name = :table"), parameters
    )
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.execute(
            text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :mark)"), parameters
        )
