"""Engines and transactions. The edge that calls storage owns the transaction."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage import audit

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "register_read_only"
_HOLDS_WRITE_LOCK = "register_holds_write_lock"


def create_database_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned per backend; statement parameters never reach logs or exceptions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **kwargs,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # SQLite lets one writer in at a time, and makes the others poll with sleeps of up to
    # 100 ms. Writers of this process queue on a lock instead, and get in as soon as the one
    # before them is done; other processes still meet SQLite's busy timeout.
    write_lock = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN DEFERRED")
            return
        if not write_lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise TimeoutError("another writer held the SQLite database too long")
        try:
            # Take the write lock up front, so two writers queue instead of failing mid-way.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            write_lock.release()
            raise
        connection.info[_HOLDS_WRITE_LOCK] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection: Any) -> None:
        if connection.info.pop(_HOLDS_WRITE_LOCK, False):
            write_lock.release()


class Database:
    """One engine and its sessions. `audit_chain_key` seals the audit trail: every session
    carries it (storage.audit finds it there), so no caller has to pass it along."""

    def __init__(
        self, url: str, *, audit_chain_key: bytes | None = None, **engine_kwargs: Any
    ) -> None:
        self.url = url
        self.engine = create_database_engine(url, **engine_kwargs)
        info = audit.session_info(audit_chain_key) if audit_chain_key else {}
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self.read_only_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False, info=info
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> "Database":
        """One engine per process: a copy (Bolt copies a lazy listener's context) shares it."""
        return self

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it does not wait for, or hold, the write
        lock. Writing in it is a mistake (it may fail when another writer got in first)."""
        with self.read_only_sessions.begin() as session:
            yield session

    def is_reachable(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
