"""Engines and transactions. The edge that calls storage owns the transaction."""

import copy
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage import audit
from storage.errors import DatabaseTimeout
from storage.models import THE_AGENCY
from storage.tenancy import AGENCY_KEY

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "register_read_only"
# A transaction that begins as a reader and takes the write lock at its first write.
WRITES_LATER = "register_writes_later"
# Overrides the engine's statement time limit for one transaction (0: none).
STATEMENT_TIMEOUT = "register_statement_timeout_ms"
_HOLDS_WRITE_LOCK = "register_holds_write_lock"
_READING = "register_reading"
_DEADLINE = "register_deadline"
_OWN_LOCK_WAIT = "register_own_lock_wait"
# SQLite calls the progress handler every this many virtual machine instructions.
_PROGRESS_STEPS = 10_000
_WRITES = frozenset(
    {"INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT"}
)
# PostgreSQL: query_canceled (statement_timeout) and lock_not_available (lock_timeout).
_PG_TIMEOUTS = frozenset({"57014", "55P03"})
# SQLite: the progress handler's interruption, and a busy timeout that ran out.
_SQLITE_TIMEOUTS = frozenset({"interrupted", "database is locked"})


def create_database_engine(
    url: str, *, statement_timeout_ms: int | None = None, **kwargs: Any
) -> Engine:
    """An engine tuned per backend; statement parameters never reach logs or exceptions.

    `statement_timeout_ms` bounds every statement and every wait for a lock; past it the
    statement fails with DatabaseTimeout. None or 0: no bound on statements, and SQLite waits
    SQLITE_BUSY_TIMEOUT_MS for a lock.
    """
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
        _configure_sqlite(engine, statement_timeout_ms or 0, _writer_queue(parsed.database))
    else:
        # No JIT compilation: the register's statements are short, and compiling one that the
        # planner costs high (an anti-join over a national register's relationships) took
        # 0.4 s of its 1 s.
        ours = "-c jit=off"
        if statement_timeout_ms:
            limit = int(statement_timeout_ms)
            ours += f" -c statement_timeout={limit} -c lock_timeout={limit}"
        given = parsed.query.get("options")  # the URL's own, which connect_args would replace
        connect_args = {"options": f"{given} {ours}" if isinstance(given, str) else ours}
        engine = create_engine(
            url, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args, **kwargs
        )
        _configure_postgresql(engine)
    event.listen(engine, "handle_error", _typed_timeouts)
    return engine


def _typed_timeouts(context: ExceptionContext) -> None:
    original = context.original_exception
    if getattr(original, "sqlstate", None) in _PG_TIMEOUTS or str(original) in _SQLITE_TIMEOUTS:
        raise DatabaseTimeout("statement") from original


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        timeout = connection.get_execution_options().get(STATEMENT_TIMEOUT)
        if timeout is not None:
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout)}")
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(timeout)}")


class _Deadline:
    """When the statement running on one SQLite connection must be interrupted."""

    def __init__(self) -> None:
        self.at: float | None = None

    def start(self, timeout_ms: int) -> None:
        self.at = time.monotonic() + timeout_ms / 1000 if timeout_ms else None

    def clear(self) -> None:
        self.at = None

    def passed(self) -> int:
        return 1 if self.at is not None and time.monotonic() > self.at else 0


class _WriterQueue:
    """SQLite's write lock, queued for across processes: an exclusive flock(2) on a file beside
    the database, taken before BEGIN IMMEDIATE and let go after the commit or rollback.

    A writer that SQLite finds busy sleeps in its busy handler, for 1, 2, 5, … up to 100 ms,
    however soon the lock is free; web workers that each write once a request then spent
    much of their time asleep. The kernel wakes a process waiting on a flock as soon as it is
    free. The wait polls without blocking, in steps that grow to a millisecond, so that it can
    end at the time limit. Writers that do not take it (another program, a migration) still
    meet SQLite's busy timeout."""

    FIRST_STEP_SECONDS = 0.0001
    LONGEST_STEP_SECONDS = 0.001

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)

    def enter(self, wait_seconds: float | None) -> bool:
        """Whether the lock was taken within `wait_seconds` (None: however long it takes)."""
        deadline = None if wait_seconds is None else time.monotonic() + wait_seconds
        step = self.FIRST_STEP_SECONDS
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                time.sleep(step)
                step = min(step * 2, self.LONGEST_STEP_SECONDS)

    def leave(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)


def _writer_queue(database: str | None) -> _WriterQueue | None:
    """The queue of writers to a database file; none for a database in memory."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return _WriterQueue(Path(database).with_name(Path(database).name + ".writers"))


def _configure_sqlite(
    engine: Engine, statement_timeout_ms: int, writers: _WriterQueue | None
) -> None:
    # Waiting for the write lock counts against the same limit, as PostgreSQL's lock_timeout.
    lock_wait_ms = statement_timeout_ms or SQLITE_BUSY_TIMEOUT_MS

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={lock_wait_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite has no statement timeout: a progress handler interrupts a statement past
        # its deadline, and the driver raises "interrupted".
        deadline = _Deadline()
        dbapi_connection.set_progress_handler(deadline.passed, _PROGRESS_STEPS)
        record.info[_DEADLINE] = deadline

    # SQLite lets one writer in at a time, and makes the others poll with sleeps of up to
    # 100 ms. Writers of this process queue on a lock instead, and get in as soon as the one
    # before them is done; then they queue with other processes' (_WriterQueue).
    write_lock = threading.Lock()

    def take_write_lock(connection: Any, begin: Any) -> None:
        wait_ms = connection.get_execution_options().get(STATEMENT_TIMEOUT, lock_wait_ms)
        if wait_ms != lock_wait_ms:
            _set_busy_timeout(connection, wait_ms)
            connection.info[_OWN_LOCK_WAIT] = True
        deadline = time.monotonic() + wait_ms / 1000 if wait_ms else None
        if not write_lock.acquire(timeout=wait_ms / 1000 if wait_ms else -1):
            raise DatabaseTimeout("another writer held the SQLite database too long")
        try:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if writers is not None and not writers.enter(left):
                raise DatabaseTimeout("another process held the SQLite database too long")
            try:
                # Take the write lock up front, so two writers queue instead of failing mid-way.
                begin("BEGIN IMMEDIATE")
            except BaseException:
                if writers is not None:
                    writers.leave()
                raise
        except BaseException:
            write_lock.release()
            raise
        connection.info[_HOLDS_WRITE_LOCK] = True

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get(READ_ONLY) or options.get(WRITES_LATER):
            connection.exec_driver_sql("BEGIN DEFERRED")
            connection.info[_READING] = bool(options.get(WRITES_LATER))
            return
        take_write_lock(connection, connection.exec_driver_sql)

    @event.listens_for(engine, "before_cursor_execute")
    def before_statement(
        connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if connection.info.get(_READING) and _writes(statement, context):
            del connection.info[_READING]
            # The transaction has only read so far. Writing in it would fail with
            # SQLITE_BUSY_SNAPSHOT whenever another writer committed since its first read,
            # and no wait cures that. So it ends the reads and begins again holding the write
            # lock: nothing is lost (it wrote nothing), and each write sees the newest
            # committed rows, as in PostgreSQL's READ COMMITTED, on which this code is
            # correct too. Retrying the whole unit instead would repeat its calls to Slack.
            dbapi_connection = connection.connection.dbapi_connection
            dbapi_connection.execute("ROLLBACK")
            take_write_lock(connection, dbapi_connection.execute)
        timeout = connection.get_execution_options().get(STATEMENT_TIMEOUT, statement_timeout_ms)
        deadline = connection.info.get(_DEADLINE)
        if deadline is not None:
            deadline.start(timeout)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection: Any) -> None:
        connection.info.pop(_READING, None)
        deadline = connection.info.get(_DEADLINE)
        if deadline is not None:
            deadline.clear()
        if connection.info.pop(_OWN_LOCK_WAIT, False):
            _set_busy_timeout(connection, lock_wait_ms)
        if connection.info.pop(_HOLDS_WRITE_LOCK, False):
            if writers is not None:
                writers.leave()
            write_lock.release()


def _set_busy_timeout(connection: Any, wait_ms: int) -> None:
    longest = 2**31 - 1  # SQLite's "no limit"
    connection.connection.dbapi_connection.execute(f"PRAGMA busy_timeout={wait_ms or longest}")


def _writes(statement: str, context: Any) -> bool:
    """Whether a statement writes, or reads to write (SELECT … FOR UPDATE)."""
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    compiled = getattr(context, "compiled", None)
    if getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None:
        return True
    words = statement.lstrip().split(None, 1)
    return bool(words) and words[0].upper() in _WRITES


# A session acts for the Database's agency unless it is given another.
_ITS_AGENCY: Any = object()


class Database:
    """One engine and its sessions. `audit_chain_key` seals the audit trail: every session
    carries it (storage.audit finds it there), so no caller has to pass it along.

    Every session acts for one agency (storage.tenancy): `agency` unless the session is made
    for another; None: only sessions made for an agency see or write anything."""

    def __init__(
        self,
        url: str,
        *,
        audit_chain_key: bytes | None = None,
        statement_timeout_ms: int | None = None,
        agency: int | None = THE_AGENCY,
        **engine_kwargs: Any,
    ) -> None:
        self.url = url
        self.agency = agency
        self.engine = create_database_engine(
            url, statement_timeout_ms=statement_timeout_ms, **engine_kwargs
        )
        info: dict[str, Any] = {AGENCY_KEY: agency}
        if audit_chain_key:
            info.update(audit.session_info(audit_chain_key))
        # One session factory, so that what hangs on its events (the erasure ledger, the
        # outbox's delivery after commit) and the audit key reach every session; the kinds of
        # transaction differ by the engine options each session is bound to.
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self._read_only = self.engine.execution_options(**{READ_ONLY: True})
        self._writes_later = self.engine.execution_options(**{WRITES_LATER: True})

    def __deepcopy__(self, memo: dict[int, Any]) -> "Database":
        """One engine per process: a copy (Bolt copies a lazy listener's context) shares it."""
        return self

    def acting_for(self, agency: int | None) -> "Database":
        """The same engine and sessions, whose transactions act for `agency` unless told
        otherwise: a request's, once its workspace is known."""
        other = copy.copy(self)
        other.agency = agency
        return other

    @property
    def engine_writing_later(self) -> Engine:
        """The engine for code that opens its own transactions (slack_sdk's installation
        stores): on SQLite each begins as a reader and takes the write lock at its first write."""
        return self._writes_later

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def session(self, bind: Any = None, *, agency: int | None = _ITS_AGENCY) -> Session:
        """A session acting for `agency` (the Database's own unless given)."""
        acting_for = self.agency if agency is _ITS_AGENCY else agency
        return self.sessions(bind=bind or self.engine, info={AGENCY_KEY: acting_for})

    @contextmanager
    def transaction(
        self, *, statement_timeout_ms: int | None = None, agency: int | None = _ITS_AGENCY
    ) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error.

        `statement_timeout_ms` replaces the engine's time limit for this transaction (jobs
        may need longer than a request); 0 lifts it."""
        bind = (
            self.engine
            if statement_timeout_ms is None
            else self.engine.execution_options(**{STATEMENT_TIMEOUT: statement_timeout_ms})
        )
        with self.session(bind, agency=agency) as session, session.begin():
            yield session

    def unit(self, *, agency: int | None = _ITS_AGENCY) -> Session:
        """A session for a unit of work that mostly reads: on SQLite it begins without the
        write lock and takes it at its first write. The caller commits or rolls back."""
        return self.session(self._writes_later, agency=agency)

    @contextmanager
    def reading(
        self, *, agency: int | None = _ITS_AGENCY, statement_timeout_ms: int | None = None
    ) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it does not wait for, or hold, the write
        lock. Writing in it is a mistake (it may fail when another writer got in first).
        `statement_timeout_ms` replaces the engine's time limit, as for `transaction`."""
        bind = (
            self._read_only
            if statement_timeout_ms is None
            else self._read_only.execution_options(**{STATEMENT_TIMEOUT: statement_timeout_ms})
        )
        with self.session(bind, agency=agency) as session, session.begin():
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
