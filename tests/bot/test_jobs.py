"""Scheduled jobs run once per period, in one transaction with their claim."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from bot.jobs.runner import UnknownJob, run_job
from bot.scheduler import build_scheduler
from bot.settings import Settings
from bot.slack_client import build_web_client
from bot.startup import Runtime
from storage import audit, job_runs
from storage.db import Database
from storage.models import JobRun, Staff
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.tampering import lift_audit_guards

HELSINKI = ZoneInfo("Europe/Helsinki")
NIGHT = datetime(2026, 3, 29, 2, 30, tzinfo=HELSINKI)


def run(database: Database, settings: Settings, **kwargs: object):  # type: ignore[no-untyped-def]
    client = build_web_client(settings)
    return run_job("audit-verify", database=database, client=client, settings=settings, **kwargs)  # type: ignore[arg-type]


def test_a_job_runs_once_per_period_unless_forced(database: Database, settings: Settings) -> None:
    first = run(database, settings, now=NIGHT)
    second = run(database, settings, now=NIGHT)
    forced = run(database, settings, now=NIGHT, force=True)
    next_day = run(database, settings, now=NIGHT.replace(day=30))

    assert (first.ran, second.ran, forced.ran, next_day.ran) == (True, False, True, True)
    assert first.period == "2026-03-29" and second.summary == "already ran for 2026-03-29"
    with database.transaction() as session:
        periods = session.scalars(select(JobRun.period).order_by(JobRun.period))
        assert list(periods) == ["2026-03-29", "2026-03-30"]


def test_a_failed_run_leaves_its_period_unclaimed(database: Database, settings: Settings) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_events RENAME TO audit_events_elsewhere"))
    with pytest.raises(Exception, match="audit_events"):
        run(database, settings, now=NIGHT)
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE audit_events_elsewhere RENAME TO audit_events"))

    assert run(database, settings, now=NIGHT).ran


def test_a_claimed_period_cannot_be_claimed_again(database: Database) -> None:
    with database.transaction() as session:
        assert job_runs.claim(session=session, job="audit-verify", period="2026-W48")
        assert job_runs.claim(session=session, job="audit-verify", period="2026-W48") is None


def test_a_broken_chain_is_told_to_each_controller_only(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        session.add_all(
            [
                Staff(slack_user_id="UCTRL1", role=Role.CONTROLLER, language="en"),
                Staff(slack_user_id="UCTRL2", role=Role.CONTROLLER, active=False),
                Staff(slack_user_id="UADV1", role=Role.ADVISOR),
            ]
        )
        audit.record(session=session, actor="UADV1", action="person.view", person_id=1)
    assert "intact" in run(database, settings, now=NIGHT).summary
    assert slack_api.calls_to("chat.postMessage") == []

    with database.engine.begin() as connection:
        lift_audit_guards(connection)
        connection.execute(text("UPDATE audit_events SET person_id = 2"))

    outcome = run(database, settings, now=NIGHT, force=True)

    assert "broken at event 1" in outcome.summary
    (message,) = slack_api.calls_to("chat.postMessage")
    assert message.args["channel"] == "UCTRL1"
    assert message.args["text"].startswith("The nightly check found the audit trail broken")


def test_an_unknown_job_is_named(database: Database, settings: Settings) -> None:
    with pytest.raises(UnknownJob, match="audit-verify"):
        run_job(
            "no-such-job", database=database, client=build_web_client(settings), settings=settings
        )


def test_the_scheduler_fires_each_job_in_helsinki_time(
    database: Database, settings: Settings
) -> None:
    scheduler = build_scheduler(Runtime(settings=settings, database=database), blocking=False)
    job = scheduler.get_job("audit-verify")
    fire = job.trigger.get_next_fire_time(None, datetime(2026, 10, 24, 12, 0, tzinfo=HELSINKI))
    assert fire == datetime(2026, 10, 25, 2, 30, tzinfo=HELSINKI)
    assert fire.utcoffset().total_seconds() == 3 * 3600  # still summer time at 02:30
    assert not 3 <= fire.hour < 4
