"""Test databases on SQLite and PostgreSQL, each migrated once and copied per test.

On PostgreSQL a copy is made ahead, and a used one dropped, in a thread of its own: creating
and dropping a database each wait for a checkpoint, which the tests need not wait for.

PostgreSQL tests run whenever a server answers at TEST_POSTGRES_URL; with REQUIRE_POSTGRES=1
(as CI sets it) an unreachable server fails them instead of skipping them.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from storage.db import Database
from storage.migrate import upgrade

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
# The audit trail's key in every test database, as AUDIT_CHAIN_KEY gives it to the bot.
CHAIN_KEY = b"made-up test key that seals the audit trail"
BACKENDS = ("sqlite", "postgresql")


def postgres_reachable() -> bool:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def _postgres_admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


class TemplateDatabases:
    """One migrated template per backend; `fresh(backend)` gives a new copy of it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.prefix = f"register_test_{uuid.uuid4().hex[:8]}"
        self._templates: dict[str, str] = {}
        self._created_postgres: list[str] = []
        self._background = ThreadPoolExecutor(1, thread_name_prefix="test-databases")
        self._next_copy: Future[str] | None = None
        self._drops: list[Future[None]] = []

    def template_url(self, backend: str) -> str:
        if backend not in self._templates:
            self._templates[backend] = self._make_template(backend)
        return self._templates[backend]

    def _make_template(self, backend: str) -> str:
        if backend == "sqlite":
            url = f"sqlite:///{self.workdir / 'template.db'}"
        else:
            name = f"{self.prefix}_template"
            self._create_postgres(name)
            url = str(
                make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
            )
        database = Database(url)
        upgrade(database.engine)
        database.dispose()
        return url

    def _create_postgres(self, name: str, template: str | None = None) -> None:
        admin = _postgres_admin_engine()
        with admin.connect() as connection:
            clause = f" TEMPLATE {template}" if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        admin.dispose()
        self._created_postgres.append(name)

    def empty(self, backend: str) -> str:
        """A new database with no tables, for migrating step by step."""
        if backend == "sqlite":
            return f"sqlite:///{self.workdir / f'{uuid.uuid4().hex}.db'}"
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._create_postgres(name)
        return str(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))

    def fresh(self, backend: str) -> str:
        template = self.template_url(backend)
        if backend == "sqlite":
            path = self.workdir / f"{uuid.uuid4().hex}.db"
            shutil.copyfile(make_url(template).database or "", path)
            return f"sqlite:///{path}"
        ready, self._next_copy = self._next_copy, self._background.submit(self._copy, template)
        return (ready or self._background.submit(self._copy, template)).result()

    def _copy(self, template: str) -> str:
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._create_postgres(name, template=make_url(template).database)
        return str(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))

    def backup(self, url: str) -> str:
        """A copy of the database as it stands, as a nightly backup would keep it. Nothing may
        be connected to it (dispose its engine first)."""
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            path = self.workdir / f"backup-{uuid.uuid4().hex}.db"
            shutil.copyfile(parsed.database or "", path)
            return f"sqlite:///{path}"
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._create_postgres(name, template=parsed.database)
        return str(parsed.set(database=name).render_as_string(hide_password=False))

    def restore(self, url: str, backup: str) -> None:
        """Puts the backup back in the database's place, under its name."""
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            for suffix in ("-wal", "-shm"):
                Path((parsed.database or "") + suffix).unlink(missing_ok=True)
            shutil.copyfile(make_url(backup).database or "", parsed.database or "")
            return
        admin = _postgres_admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{parsed.database}" WITH (FORCE)'))
            connection.execute(
                text(f'CREATE DATABASE "{parsed.database}" TEMPLATE "{make_url(backup).database}"')
            )
        admin.dispose()

    def drop(self, url: str) -> None:
        """Drops the database once nothing is connected to it, in the background."""
        parsed = make_url(url)
        if parsed.get_backend_name() != "postgresql":
            return
        self._drops.append(self._background.submit(self._drop_postgres, parsed.database or ""))

    def _drop_postgres(self, name: str) -> None:
        admin = _postgres_admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        self._created_postgres.remove(name)

    def drop_all(self) -> None:
        if self._next_copy is not None:
            self._next_copy.result()
        self._background.shutdown(wait=True)
        for dropped in self._drops:
            dropped.result()
        admin = _postgres_admin_engine() if self._created_postgres else None
        if admin is None:
            return
        with admin.connect() as connection:
            for name in reversed(self._created_postgres):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        self._created_postgres.clear()


APP_ROLE = "register_app"


@contextmanager
def login_role(*, member_of: str | None = None, owns_database: bool = False) -> Iterator[str]:
    """A login role of the test cluster, made for one test and dropped after it (trust auth:
    no password); a member of `member_of`, or the owner of a new database of its own."""
    name = f"register_test_{uuid.uuid4().hex[:8]}"
    admin = _postgres_admin_engine()
    with admin.connect() as connection:
        clause = f" IN ROLE {member_of}" if member_of else ""
        connection.execute(text(f'CREATE ROLE "{name}" LOGIN{clause}'))
        if owns_database:
            connection.execute(text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'DROP ROLE "{name}"'))
        admin.dispose()


def as_role(url: str, role: str, database: str | None = None) -> str:
    """`url` with another user (and database), as the bot or the owner would connect."""
    parsed = make_url(url).set(username=role, password=None)
    if database:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)
