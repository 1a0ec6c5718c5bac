"""Many rows at a time, for an import: looked up by a thousand values at once (`among`), and
written in one go (`insert_rows`: COPY on PostgreSQL, one prepared statement run for every row
on SQLite).

Written rows go in in the order given, so the ids they get follow it; they pass no ORM event,
so the caller does what those events would (the search name, the check for control
characters). A column a row leaves out gets the model's default, as an ORM insert would give
it."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import psycopg
from sqlalchemy import ColumnElement, any_, insert, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from storage.errors import BulkWriteRefused
from storage.models.base import AGENCY_KEY, Base, NoAgency, table_of


def among(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN (values)`; on PostgreSQL `column = ANY(array)`, one parameter however many
    values there are, which the driver and the planner take much faster."""
    values = list(set(values))
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(values, ARRAY(column.type)))
    return column.in_(values)


def insert_rows(session: Session, model: type[Base], rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    table = table_of(model)
    session.flush()
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), list(rows))
        return
    columns = [
        column
        for column in table.columns
        if any(column.key in row for row in rows)
        or (column.default is not None and not column.primary_key)
    ]
    agency = session.info.get(AGENCY_KEY)
    names = ", ".join(f'"{column.name}"' for column in columns)
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_value(column, row, agency) for column in columns])
    except psycopg.Error as error:
        raise BulkWriteRefused(f"{table.name} (SQLSTATE {error.sqlstate})") from None


def _value(column: Any, row: Mapping[str, Any], agency: int | None) -> Any:
    if column.key in row:
        return row[column.key]
    if column.key == AGENCY_KEY:
        if agency is None:
            raise NoAgency("rows were written outside any agency's transaction")
        return agency
    default = column.default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg
