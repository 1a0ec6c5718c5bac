import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.errors import DatabaseTimeout
from storage.migrate import alembic_config, is_up_to_date
from storage.models import Base, Staff
from storage.models.enums import Role
from storage.models.person_search import is_compared

CONTRACT_TABLES = {
    "persons",
    "phone_numbers",
    "relationships",
    "consents",
    "meetings",
    "data_subject_requests",
    "disclosures",
    "staff",
    "audit_events",
    "job_runs",
}


def test_migrations_create_every_table_and_match_the_models(database: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert set(inspect(database.engine).get_table_names()) >= CONTRACT_TABLES
    assert is_up_to_date(database.engine)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": False, "include_name": is_compared}
        )
        assert compare_metadata(context, Base.metadata) == []
    assert alembic_config().get_main_option("script_location")


def test_transaction_commits_on_success_and_rolls_back_on_error(database: Database) -> None:
    with database.transaction() as session:
        session.add(Staff(slack_user_id="UONE", role=Role.ADVISOR))
    try:
        with database.transaction() as session:
            session.add(Staff(slack_user_id="UTWO", role=Role.ADVISOR))
            session.add(Staff(slack_user_id="UONE", role=Role.ADVISOR))
            session.flush()
    except IntegrityError:
        pass
    with database.transaction() as session:
        assert sorted(session.scalars(text("SELECT slack_user_id FROM staff"))) == ["UONE"]


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'nested' / 'register.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()


def test_sqlite_writers_queue_instead_of_failing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'register.db'}")
    Base.metadata.create_all(database.engine)
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            for i in range(20):
                with database.transaction() as session:
                    count = session.scalar(text("SELECT count(*) FROM staff")) or 0
                    session.add(Staff(slack_user_id=f"U{n}X{i}X{count}", role=Role.ADVISOR))
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with database.transaction() as session:
        assert session.scalar(text("SELECT count(*) FROM staff")) == 80
    database.dispose()


# Holds the write lock of the database at argv[1] until a line arrives on its standard input.
HOLD_THE_WRITE_LOCK = """
import sys
from storage.db import Database
from storage.models import Staff
from storage.models.enums import Role

database = Database("sqlite:///" + sys.argv[1])
with database.transaction() as session:
    session.add(Staff(slack_user_id="UOTHER", role=Role.ADVISOR))
    session.flush()
    print("holding", flush=True)
    sys.stdin.readline()
database.dispose()
"""


def test_sqlite_writers_of_other_processes_queue_for_the_write_lock(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    database = Database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdin is not None
        assert other.stdout.readline() == "holding\n"
        # It waits in the queue of writers (not in SQLite's busy handler) and gives up in time.
        with (
            pytest.raises(DatabaseTimeout, match="another process"),
            database.transaction(statement_timeout_ms=100) as session,
        ):
            session.add(Staff(slack_user_id="UWAITING", role=Role.ADVISOR))
        written = threading.Event()

        def write() -> None:
            with database.transaction() as session:
                session.add(Staff(slack_user_id="UNEXT", role=Role.ADVISOR))
            written.set()

        waiting = threading.Thread(target=write, daemon=True)
        waiting.start()
        assert not written.wait(timeout=0.2)  # queued behind the other process
        other.stdin.write("go\n")
        other.stdin.flush()
        assert written.wait(timeout=5)  # in as soon as the other process let go
        assert other.wait(timeout=10) == 0
    finally:
        other.kill()
    with database.reading() as session:
        assert session.scalar(text("SELECT count(*) FROM staff")) == 2
    database.dispose()


def test_a_reading_transaction_does_not_wait_for_a_writer(database: Database) -> None:
    with database.transaction() as writer:
        writer.add(Staff(slack_user_id="UWRITING", role=Role.ADVISOR))
        writer.flush()
        seen: list[object] = []
        reader = threading.Thread(
            target=lambda: seen.append(_count_staff_reading(database)), daemon=True
        )
        reader.start()
        reader.join(timeout=5)
        assert seen == [0]  # the writer has not committed; the reader was not kept waiting
    assert _count_staff_reading(database) == 1


def _count_staff_reading(database: Database) -> object:
    with database.reading() as session:
        return session.scalar(text("SELECT count(*) FROM staff"))


def test_a_failed_sqlite_transaction_lets_the_next_writer_in(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'register.db'}")
    Base.metadata.create_all(database.engine)
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.add(Staff(slack_user_id="USAME", role=Role.ADVISOR))
        session.flush()
        session.add(Staff(slack_user_id="USAME", role=Role.ADVISOR))
        session.flush()
    done = threading.Event()

    def write() -> None:
        with database.transaction() as other:
            other.add(Staff(slack_user_id="UNEXT", role=Role.ADVISOR))
        done.set()

    threading.Thread(target=write, daemon=True).start()
    assert done.wait(timeout=5)
    database.dispose()


def test_postgresql_checks_connections_before_use(database: Database) -> None:
    if database.backend != "postgresql":
        return
    assert database.engine.pool._pre_ping  # type: ignore[attr-defined]
    assert database.is_reachable()


def test_unreachable_database_is_reported() -> None:
    database = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    assert not database.is_reachable()
