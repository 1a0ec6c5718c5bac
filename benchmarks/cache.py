"""Filled registers kept between benchmark runs, so that a big fill is paid once.

One filled register is kept per backend and size (persons, meetings, seed, fill version):
on PostgreSQL a database that each run copies as a template (`CREATE DATABASE x TEMPLATE
cached`), on SQLite a file under CACHE_DIR that each run copies. The erasure ledger the fill
wrote is kept beside it in CACHE_DIR. The cached register itself is migrated to the head
before it is copied (once per new migration, not once per run), so a register cached before
a new migration still serves. A fill that did not finish leaves no cache behind: it
fills under a name of its own and takes the cache's name only when done.
"""

import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, make_url, text

from storage.db import Database
from storage.migrate import upgrade

CACHE_DIR = Path(
    os.environ.get("BENCH_CACHE_DIR", Path(__file__).resolve().parent.parent / ".bench-cache")
)
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CACHED_PREFIX = "register_cache_"
COPY_PREFIX = "register_bench_"
FILLING = "_filling"

# Fills an empty database, and writes the erasure ledger it implies to the path given.
Filler = Callable[[Database, Path], None]


@dataclass(frozen=True)
class Size:
    persons: int
    meetings: int
    seed: int
    version: int

    @property
    def name(self) -> str:
        return f"{CACHED_PREFIX}{self.persons}_{self.meetings}_s{self.seed}_v{self.version}"


def ledger_path(backend: str, size: Size) -> Path:
    return CACHE_DIR / f"{size.name}.{backend}.erasure-ledger.jsonl"


def sqlite_path(size: Size) -> Path:
    return CACHE_DIR / f"{size.name}.sqlite3"


@contextmanager
def database_copy(
    backend: str,
    size: Size,
    *,
    fill: Filler,
    fresh: bool = False,
    ledger: Path | None = None,
    chain_key: bytes,
) -> Iterator[Database]:
    """A copy of the cached register of `size` (filled first if not cached, or if `fresh`),
    migrated to the head; dropped when the block ends. Its ledger is copied to `ledger`."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    if fresh or not is_cached(backend, size):
        _fill_cache(backend, size, fill, chain_key)
    if ledger is not None:
        shutil.copyfile(ledger_path(backend, size), ledger)
    _migrate_cache(backend, size, chain_key)
    started = time.perf_counter()
    copy = _sqlite_copy if backend == "sqlite" else _postgres_copy
    with copy(size, chain_key) as database:
        _note(f"{backend}: copied from the cache in {_since(started)}")
        yield database


def _migrate_cache(backend: str, size: Size, chain_key: bytes) -> None:
    started = time.perf_counter()
    url = f"sqlite:///{sqlite_path(size)}" if backend == "sqlite" else database_url(size.name)
    database = Database(url, audit_chain_key=chain_key)
    try:
        before = _revision(database)
        upgrade(database.engine)
        if _revision(database) != before:
            analyze(database)  # what the migrations wrote, as a register in use would be
    finally:
        database.dispose()
    if backend == "sqlite":
        with closing(sqlite3.connect(sqlite_path(size))) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _note(f"{backend}: the cache migrated to the head in {_since(started)}")


def _revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_cached(backend: str, size: Size) -> bool:
    if not ledger_path(backend, size).exists():
        return False
    if backend == "sqlite":
        return sqlite_path(size).exists()
    with admin_engine() as admin, admin.connect() as connection:
        return _exists(connection, size.name)


def _fill_cache(backend: str, size: Size, fill: Filler, chain_key: bytes) -> None:
    started = time.perf_counter()
    _note(
        f"{backend}: filling {size.persons:,} persons and {size.meetings:,} meetings "
        "into the cache (once per size)"
    )
    ledger = ledger_path(backend, size)
    ledger.unlink(missing_ok=True)
    filling_ledger = ledger.with_name(ledger.name + FILLING)
    if backend == "sqlite":
        target = sqlite_path(size)
        target.unlink(missing_ok=True)
        filling = target.with_name(target.name + FILLING)
        filling.unlink(missing_ok=True)
        database = Database(f"sqlite:///{filling}", audit_chain_key=chain_key)
        try:
            fill(database, filling_ledger)
        finally:
            database.dispose()
        with closing(sqlite3.connect(filling)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        filling.replace(target)
    else:
        with admin_engine() as admin, admin.connect() as connection:
            for name in (size.name, size.name + FILLING):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{size.name}{FILLING}"'))
        database = Database(database_url(size.name + FILLING), audit_chain_key=chain_key)
        try:
            fill(database, filling_ledger)
        finally:
            database.dispose()
        with admin_engine() as admin, admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{size.name}{FILLING}" RENAME TO "{size.name}"')
            )
    filling_ledger.replace(ledger)
    _note(f"{backend}: filled in {_since(started)}")


@contextmanager
def _sqlite_copy(size: Size, chain_key: bytes) -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="register-bench-") as directory:
        copy = Path(directory) / "register.db"
        shutil.copyfile(sqlite_path(size), copy)
        database = Database(f"sqlite:///{copy}", audit_chain_key=chain_key)
        try:
            yield database
        finally:
            database.dispose()


@contextmanager
def _postgres_copy(size: Size, chain_key: bytes) -> Iterator[Database]:
    name = f"{COPY_PREFIX}{uuid.uuid4().hex[:8]}"
    with admin_engine() as admin:
        with admin.connect() as connection:
            # A file copy: far quicker than writing gigabytes through the WAL (PostgreSQL 15's
            # default), at the cost of a checkpoint.
            strategy = " STRATEGY FILE_COPY" if _server_version(admin) >= 150000 else ""
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{size.name}"{strategy}'))
        database = Database(database_url(name), audit_chain_key=chain_key)
        try:
            yield database
        finally:
            database.dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def admin_engine() -> Iterator[Engine]:
    """An engine on the benchmarks' PostgreSQL server that creates and drops databases."""
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        yield engine
    finally:
        engine.dispose()


def _exists(connection: Connection, name: str) -> bool:
    found = connection.execute(
        text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
    )
    return found.first() is not None


def _server_version(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SHOW server_version_num")).scalar_one())


def database_url(name: str) -> str:
    """The URL of the database `name` on the benchmarks' PostgreSQL server."""
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"


def _note(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def analyze(database: Database) -> None:
    """Vacuums (PostgreSQL) and gathers the planner's statistics, as the database's own upkeep
    would have done on a register in use: without it a bulk-filled table is read row by row."""
    if database.backend == "postgresql":
        with database.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
