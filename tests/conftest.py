"""Fixtures every test shares: databases on both backends, and which of them ran."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from storage import audit
from storage.db import Database
from storage.models import THE_AGENCY
from storage.tenancy import AGENCY_KEY
from tests.agencies import add_agency
from tests.databases import (
    BACKENDS,
    CHAIN_KEY,
    REQUIRE_POSTGRES,
    TemplateDatabases,
    postgres_reachable,
)
from tests.doubles.slack_web_api import SlackWebApiDouble

_backends_used: set[str] = set()
_postgres_state: dict[str, bool] = {}


def _postgres_available() -> bool:
    if "reachable" not in _postgres_state:
        _postgres_state["reachable"] = postgres_reachable()
    return _postgres_state["reachable"]


@pytest.fixture(autouse=True)
def ledger_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's erasure ledger, in a folder of its own, and so the audit chain's key file and
    anchors beside it, never in the working tree's data/ (settings read it from the
    environment, and so do the processes a test starts)."""
    path = tmp_path / "ledger" / "erasure-ledger.jsonl"
    monkeypatch.setenv("ERASURE_LEDGER_PATH", str(path))
    return path


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TemplateDatabases]:
    databases = TemplateDatabases(Path(tmp_path_factory.mktemp("databases")))
    yield databases
    databases.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql" and not _postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail("REQUIRE_POSTGRES=1 but no PostgreSQL server answers")
        pytest.skip("no PostgreSQL server answers at TEST_POSTGRES_URL")
    _backends_used.add(name)
    return name


@pytest.fixture
def database(backend: str, templates: TemplateDatabases) -> Iterator[Database]:
    """A freshly migrated database of its own, for tests whose code commits."""
    url = templates.fresh(backend)
    db = Database(url, audit_chain_key=CHAIN_KEY)
    yield db
    db.dispose()
    templates.drop(url)


@pytest.fixture
def other_agency(database: Database) -> int:
    """A second agency in the test's database; its sessions: database.transaction(agency=...)."""
    with database.transaction() as session:
        return add_agency(session)


@pytest.fixture(scope="session")
def shared_databases(templates: TemplateDatabases) -> Iterator[dict[str, Database]]:
    opened: dict[str, Database] = {}
    yield opened
    for db in opened.values():
        db.dispose()


@pytest.fixture
def session(
    backend: str, templates: TemplateDatabases, shared_databases: dict[str, Database]
) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    if backend not in shared_databases:
        shared_databases[backend] = Database(templates.fresh(backend), audit_chain_key=CHAIN_KEY)
    db = shared_databases[backend]
    connection = db.engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        info={**audit.session_info(CHAIN_KEY), AGENCY_KEY: THE_AGENCY},
    )
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture
def slack_api() -> Iterator[SlackWebApiDouble]:
    """Slack's Web API on loopback; a test fails if the bot called it in a way Slack refuses."""
    with SlackWebApiDouble() as double:
        yield double
        assert double.violations == []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Under pytest-xdist: what a worker tested counts for the whole run."""
    _backends_used.update(node.workeroutput.get("backends_used", ()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    ran = ", ".join(sorted(_backends_used)) or "none"
    terminalreporter.write_line(f"databases tested: {ran}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller judges the run
        workeroutput["backends_used"] = sorted(_backends_used)
        return
    if REQUIRE_POSTGRES and "postgresql" not in _backends_used and exitstatus == 0:
        session.exitstatus = 1
        print("\nREQUIRE_POSTGRES=1 but no test ran on PostgreSQL")
