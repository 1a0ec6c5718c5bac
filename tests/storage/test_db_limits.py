"""Every statement has a time limit, and a unit of work reads without the write lock."""

import pytest
from sqlalchemy import func, select, text

from storage.db import Database
from storage.errors import DatabaseTimeout
from storage.models import Staff
from storage.models.enums import Role

# Counts to a billion: minutes of work on either database, unless interrupted.
ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
    "SELECT count(*) FROM c"
)


@pytest.fixture
def limited(database: Database) -> Database:
    return Database(database.url, statement_timeout_ms=50)


def test_a_statement_past_the_time_limit_fails_with_a_typed_error(limited: Database) -> None:
    with pytest.raises(DatabaseTimeout), limited.transaction() as session:
        session.execute(text(ENDLESS))
    with limited.transaction() as session:  # the connection is usable again
        assert session.scalar(text("SELECT 1")) == 1
    limited.dispose()


def test_a_unit_of_work_is_bounded_too(limited: Database) -> None:
    session = limited.unit()
    with pytest.raises(DatabaseTimeout):
        session.execute(text(ENDLESS))
    session.rollback()
    session.close()
    limited.dispose()


def test_a_transaction_may_lift_the_limit(limited: Database) -> None:
    lifted = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) "
    with limited.transaction(statement_timeout_ms=0) as session:
        assert session.scalar(text(lifted + "SELECT count(*) FROM c")) == 300000
    limited.dispose()


def test_a_unit_of_work_reads_while_another_writes_and_then_writes_itself(
    database: Database,
) -> None:
    unit = database.unit()
    assert unit.scalar(select(func.count()).select_from(Staff)) == 0
    with database.transaction() as writer:
        writer.add(Staff(slack_user_id="UWRITER", role=Role.ADVISOR))
        writer.flush()
        # The writer holds the write lock: the unit's read does not wait for it.
        assert unit.scalar(select(func.count()).select_from(Staff)) == 0
    # Another writer committed after the unit's first read: its write still goes through.
    unit.add(Staff(slack_user_id="UUNIT", role=Role.ADVISOR))
    unit.commit()
    unit.close()
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(Staff)) == 2


def test_postgresql_keeps_the_urls_own_options(database: Database) -> None:
    if database.backend != "postgresql":
        return
    url = database.url + "?options=-c%20application_name%3Dregister"
    limited = Database(url, statement_timeout_ms=1234)
    with limited.reading() as session:
        assert session.scalar(text("SHOW statement_timeout")) == "1234ms"
        assert session.scalar(text("SHOW lock_timeout")) == "1234ms"
        assert session.scalar(text("SHOW application_name")) == "register"
        assert session.scalar(text("SHOW jit")) == "off"
    limited.dispose()


def test_postgresql_compiles_no_statement_just_in_time(database: Database) -> None:
    if database.backend != "postgresql":
        return
    unlimited = Database(database.url)
    with unlimited.reading() as session:
        assert session.scalar(text("SHOW jit")) == "off"
    unlimited.dispose()
