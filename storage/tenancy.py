"""The wall between agencies in the application: every transaction acts for one agency.

The agency is given when a session is made (`Session.info[AGENCY_KEY]`, see
storage.db.Database). When the session's transaction begins, the agency goes into the
connection's info, where inserts find it (storage.models.base.current_agency), and on
PostgreSQL into the transaction-local setting `app.agency_id` that the row-level security
policies read. Every ORM SELECT, UPDATE and DELETE is narrowed to the agency's rows. Statements
built in Core on a table name the agency themselves; on PostgreSQL the policies hold them too.

A session made without an agency sees no agency's rows and can write none.
"""

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Connection, Integer, Table, bindparam, event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, with_loader_criteria
from sqlalchemy.pool import Pool

from storage.models.base import AGENCY_KEY, AgencyOwned

# The PostgreSQL setting the row-level security policies read (a contract).
AGENCY_SETTING = "app.agency_id"


# The bind parameter by which a Core statement built once names the agency of its rows; the
# caller gives it the session's agency (its_agency) when it runs the statement.
AGENCY_PARAM = "agency"


def agency_of(session: Session) -> int | None:
    agency: int | None = session.info.get(AGENCY_KEY)
    return agency


def the_agency() -> BindParameter[int]:
    """The agency a prebuilt Core statement is run for, given as AGENCY_PARAM."""
    return bindparam(AGENCY_PARAM, type_=Integer)


def of_the_agency(column: ColumnElement[int]) -> ColumnElement[bool]:
    """Whether a row of a prebuilt Core statement is the agency's given as AGENCY_PARAM."""
    return column == the_agency()


def rows_of(session: Session, table: Table) -> ColumnElement[bool]:
    """Whether a row of `table` is the session's agency's, for a Core statement built on the
    spot."""
    agency: ColumnElement[int] = table.c[AGENCY_KEY]
    return agency == agency_of(session)


def its_agency(session: Session) -> dict[str, int | None]:
    """The parameters that name the session's agency to a statement built with the_agency()."""
    return {AGENCY_PARAM: agency_of(session)}


@event.listens_for(Session, "after_begin")
def _act_for_the_agency(
    session: Session, transaction: SessionTransaction, connection: Connection
) -> None:
    agency = agency_of(session)
    connection.info[AGENCY_KEY] = agency
    if agency is not None and connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT set_config(%(name)s, %(agency)s, true)",
            {"name": AGENCY_SETTING, "agency": str(agency)},
        )


@event.listens_for(Pool, "checkin")
def _forget_the_agency(dbapi_connection: Any, record: Any) -> None:
    """A pooled connection acts for nobody until its next transaction says for whom."""
    record.info.pop(AGENCY_KEY, None)


@event.listens_for(Session, "do_orm_execute")
def _only_the_agencys_rows(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return  # the statement that loaded the parent was narrowed, and the option propagates
    if not (state.is_select or state.is_update or state.is_delete):
        return
    agency = agency_of(state.session)
    state.statement = state.statement.options(
        with_loader_criteria(
            AgencyOwned,
            lambda cls: cls.agency_id == agency,
            include_aliases=True,
        )
    )
