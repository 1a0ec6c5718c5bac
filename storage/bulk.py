"""Many rows at a time, for an import: looked up by a thousand values at once (`among`), and
written in one go (`insert_rows`: one statement over an array per column on PostgreSQL, one
prepared statement run for every row on SQLite).

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
    dialect = session.get_bind().dialect
    names = ", ".join(f'"{column.name}"' for column in columns)
    given = ", ".join(f"c{index}" for index in range(len(columns)))
    arrays = ", ".join(f"%s::{column.type.compile(dialect=dialect)}[]" for column in columns)
    # COPY FROM is refused on a table under row-level security (storage.migrations.agency_wall):
    # the rows go in as one array per column instead, unnested in the order given.
    statement = (
        f'INSERT INTO "{table.name}" ({names}) SELECT {given} '
        f"FROM unnest({arrays}) WITH ORDINALITY AS given ({given}, n) ORDER BY n"
    )
    values = [[_value(column, row, agency) for row in rows] for column in columns]
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement, values)
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
