"""The serving processes' sealer thread, and the clock's `audit-seal` round."""

import time

from sqlalchemy import select

from bot.jobs.runner import run_job
from bot.runtime.audit_sealer import AuditSealer, seal_now
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import audit
from storage.db import Database
from storage.models import AuditSeal
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import make_settings


def sealed(database: Database, event_id: int) -> bool:
    with database.reading() as session:
        return (
            session.scalar(select(AuditSeal.seq).where(AuditSeal.event_id == event_id)) is not None
        )


def append(database: Database, person_id: int) -> int:
    with database.transaction() as session:
        return audit.record(
            session=session, actor="U1", action="person.view", person_id=person_id
        ).id


def test_a_commit_that_appended_wakes_the_sealer_of_its_process(database: Database) -> None:
    # A poll far longer than the wait below: only the wake-up can seal in time.
    sealer = AuditSealer(database, poll_seconds=600).start()
    try:
        time.sleep(0.2)  # past the sealer's first round
        event_id = append(database, 1)
        deadline = time.monotonic() + 30
        while not sealed(database, event_id) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sealed(database, event_id)
    finally:
        sealer.stop()


def test_seal_now_seals_every_queued_event(database: Database) -> None:
    events = [append(database, n) for n in range(3)]

    assert seal_now(database) == 3
    assert all(sealed(database, event_id) for event_id in events)
    assert seal_now(database) == 0


def test_the_audit_seal_job_seals_what_is_queued(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    settings: Settings = make_settings(database, slack_api)
    event_id = append(database, 1)

    outcome = run_job(
        "audit-seal", database=database, client=build_web_client(settings), settings=settings
    )

    assert outcome.summary == "1 audit event sealed"
    assert sealed(database, event_id)
