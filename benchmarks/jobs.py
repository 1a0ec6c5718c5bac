"""How long the scheduled jobs take on a filled register, and whether their statements read
whole tables.

Each job is timed twice: its storage queries alone (in a transaction rolled back), and the whole
run as `python -m bot jobs run NAME` does it (claim, decide, commit, deliver what it put in the
outbox), with Slack's Web API answered by the loopback double. Every distinct statement of the
run is explained afterwards, and a plan line that reads a whole table of the register is shown.
"""

import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session

from bot.jobs.runner import run_job
from bot.retention.blocks import POSTED_REFERENCES
from bot.runtime.erasure_ledger import read_ledger
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import retention
from storage.db import Database
from storage.erasure import replay_erasures, restore_erasure_records
from storage.meetings import advisors_with_follow_ups, follow_up_reminder
from storage.requests import coming_due
from tests.doubles.slack_web_api import SlackWebApiDouble

TARGET_SECONDS = 2.0
REMINDER_CHANNEL = "CBENCHREMIND"
# The register's tables that grow with it; a small table (staff, job runs) may be scanned.
BIG_TABLES = (
    "persons|phone_numbers|meetings|relationships|consents|disclosures|data_subject_requests"
    "|erasures|audit_events|slack_files|slack_file_persons|slack_messages|slack_message_persons"
)
FULL_SCAN = {
    "sqlite": re.compile(rf"\bSCAN ({BIG_TABLES})\b(?!_)"),
    "postgresql": re.compile(rf"Seq Scan on ({BIG_TABLES})\b(?!_)"),
}
EXPLAINED = ("SELECT", "UPDATE", "DELETE", "WITH")
# A plan may read a table this small whole: that is the cheaper way, and it stays small.
BIG_TABLE_ROWS = 10_000


@dataclass(frozen=True)
class JobTiming:
    job: str
    query_seconds: float  # the job's storage queries alone
    run_seconds: float  # the whole run, delivery included
    statements: int  # statements the run sent
    summary: str
    full_scans: list[str]

    @property
    def within_target(self) -> bool:
        return self.run_seconds < TARGET_SECONDS


def run(database: Database, *, ledger: Path, today: datetime) -> list[JobTiming]:
    """Times each job on `database` for the moment `today`; the erasure replay reads `ledger`
    (a copy: the replay appends to it)."""
    zone = today.tzinfo
    assert zone is not None
    queries: dict[str, Callable[[Session], object]] = {
        "retention-review": lambda session: _retention_queries(session, today),
        "request-deadlines": lambda session: coming_due(session=session, today=today.date()),
        "follow-ups": lambda session: _follow_up_queries(session, today),
        "erasure-replay": lambda session: _erasure_queries(session, ledger),
    }
    timings = []
    with SlackWebApiDouble() as slack_api, tempfile.TemporaryDirectory() as folder:
        job_ledger = Path(folder) / "erasure-ledger.jsonl"
        shutil.copyfile(ledger, job_ledger)
        settings = Settings(
            _env_file=None,
            slack_bot_token="xoxb-benchmark",
            slack_api_url=slack_api.base_url,
            database_url=database.url,
            reminder_channel_id=REMINDER_CHANNEL,
            erasure_ledger_path=job_ledger,
        )
        client = build_web_client(settings)
        for name, query in queries.items():
            query_seconds = _timed_rolled_back(database, query)
            with _statements(database) as statements:
                started = time.perf_counter()
                outcome = run_job(
                    name,
                    database=database,
                    client=client,
                    settings=settings,
                    now=today,
                    force=True,
                )
                run_seconds = time.perf_counter() - started
            timings.append(
                JobTiming(
                    job=name,
                    query_seconds=query_seconds,
                    run_seconds=run_seconds,
                    statements=len(statements),
                    summary=outcome.summary,
                    full_scans=_full_scans(database, statements),
                )
            )
    return timings


def _retention_queries(session: Session, today: datetime) -> None:
    """What the job counts, and what its post is rendered from."""
    policy = retention.DEFAULT_POLICY
    retention.count_due(session=session, today=today.date(), policy=policy)
    retention.due_summary(
        session=session, today=today.date(), policy=policy, limit=POSTED_REFERENCES
    )


def _follow_up_queries(session: Session, today: datetime) -> None:
    for advisor in advisors_with_follow_ups(session=session, on=today.date()):
        follow_up_reminder(session=session, viewer=advisor, today=today.date(), audited=False)


def _erasure_queries(session: Session, ledger: Path) -> None:
    restore_erasure_records(session=session, records=read_ledger(ledger))
    replay_erasures(session=session)


def _timed_rolled_back(database: Database, query: Callable[[Session], object]) -> float:
    with database.sessions() as session:
        started = time.perf_counter()
        query(session)
        session.flush()
        seconds = time.perf_counter() - started
        session.rollback()
    return seconds


def _full_scans(database: Database, statements: list[tuple[str, Any]]) -> list[str]:
    """The plan lines, of every distinct statement sent, that read a whole big table."""
    explain = "EXPLAIN QUERY PLAN " if database.backend == "sqlite" else "EXPLAIN "
    distinct = dict(reversed(statements))
    scans = set()
    with database.engine.connect() as connection:
        for statement, parameters in distinct.items():
            if not statement.lstrip().upper().startswith(EXPLAINED):
                continue
            if isinstance(parameters, list):  # sent as executemany: one set explains it
                parameters = parameters[0]
            plan = connection.exec_driver_sql(explain + statement, parameters).all()
            scans |= {
                found
                for row in plan
                if (found := FULL_SCAN[database.backend].search(str(row[-1])))
                and _rows(connection, found.group(1)) >= BIG_TABLE_ROWS
            }
        connection.rollback()
    return sorted(found.group(0) for found in scans)


def _rows(connection: Connection, table: str) -> int:
    if connection.dialect.name == "postgresql":
        estimate = connection.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = :table"), {"table": table}
        ).scalar()
        return int(estimate or 0)
    return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)


@contextmanager
def _statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
