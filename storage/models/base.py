"""The declarative base and the column types every model shares."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, MetaData, Table, TypeDecorator
from sqlalchemy.engine.interfaces import ExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def str_enum(enum_class: type[StrEnum], length: int = 32) -> Enum:
    """Stores an enumeration by value in a plain string column with a check constraint."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=enum_class.__name__.lower(),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


# Every table's ids are never given twice, even to replace a deleted row: SQLite otherwise
# reuses the highest id once its row is gone (PostgreSQL's sequences never go back, but see
# storage.sequences for restores).
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


# Where the agency a transaction acts for is kept: in Session.info, given when the session is
# made, and in Connection.info while its transaction lasts (storage.tenancy).
AGENCY_KEY = "agency_id"


class NoAgency(RuntimeError):
    """A row was written in a transaction that acts for no agency."""


def current_agency(context: ExecutionContext) -> int:
    """The agency of the transaction an INSERT runs in: every row written is that agency's."""
    agency: int | None = context.connection.info.get(AGENCY_KEY)
    if agency is None:
        raise NoAgency("a row was written outside any agency's transaction")
    return agency


class AgencyOwned:
    """A row of one agency's register. Reads, updates and deletes through the ORM see only the
    transaction's agency's rows, and inserts are stamped with it (storage.tenancy); on
    PostgreSQL row-level security holds the same wall in the database."""

    agency_id: Mapped[int] = mapped_column(default=current_agency)


def table_of(model: type[Base]) -> Table:
    """A model's table, for Core statements on hot paths (no ORM loading, no unit of work)."""
    table: Table = model.__table__  # type: ignore[assignment]
    return table
