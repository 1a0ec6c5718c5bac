"""Scheduled jobs run once per period, in one transaction with their claim."""

import json
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select, text

from bot.jobs.runner import UnknownJob, run_job
from bot.runtime.high_water_marks import raise_to_recorded_marks
from bot.runtime.scheduler import build_scheduler
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.runtime.startup import Runtime
from storage import audit, job_runs
from storage.db import Database
from storage.models import JobRun, Person, Staff
from storage.models.enums import Role
from tests.databases import TemplateDatabases
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_person
from tests.restores import rewind_sequence
from tests.tampering import lift_audit_guards, remove_events

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


def consultations(database: Database, count: int) -> None:
    with database.transaction() as session:
        for person_id in range(1, count + 1):
            audit.record(session=session, actor="UADV1", action="person.view", person_id=person_id)


def add_controller(database: Database, language: str = "en") -> None:
    with database.transaction() as session:
        session.add(Staff(slack_user_id="UCTRL1", role=Role.CONTROLLER, language=language))


def test_each_run_anchors_the_chains_head_outside_the_database(
    database: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    consultations(database, 3)
    caplog.set_level(logging.INFO, logger="bot.runtime.audit_anchors")

    run(database, settings, now=NIGHT)

    (line,) = settings.audit_anchor_path.read_text().splitlines()
    anchor = json.loads(line)
    assert anchor["count"] == 3
    assert set(anchor) == {
        "agency",
        "event_id",
        "seq",
        "hash",
        "count",
        "at",
        "high_water_marks",
    }
    assert anchor["agency"] == 1
    said = (
        f"Audit chain anchor: agency 1, event {anchor['event_id']}, position {anchor['seq']}, hash "
    )
    assert said + anchor["hash"] in caplog.text
    assert settings.audit_anchor_path.parent == settings.erasure_ledger_path.parent


def test_an_anchor_keeps_ids_from_being_given_again_after_a_restore(
    database: Database, settings: Settings
) -> None:
    """A backup restored from before the newest person: with no erasure since, the anchor's
    marks alone raise the sequence at the next start."""
    consultations(database, 1)
    with database.transaction() as session:
        add_person(session, "Vanhempi", "Henkilö")
        newest = add_person(session, "Uusin", "Henkilö").id
    run(database, settings, now=NIGHT)
    with database.transaction() as session:
        session.execute(delete(Person).where(Person.id == newest))
        rewind_sequence(session, "persons", newest - 1)

    raise_to_recorded_marks(database, settings.erasure_ledger_path.parent)

    with database.transaction() as session:
        assert add_person(session, "Seuraava", "Henkilö").id > newest


def test_removing_the_newest_events_is_told_to_the_controllers(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    add_controller(database)
    consultations(database, 4)
    run(database, settings, now=NIGHT)
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
        newest = owner.scalar(text("SELECT max(id) FROM audit_events"))
        remove_events(owner, [newest - 1, newest])

    outcome = run(database, settings, now=NIGHT, force=True)

    anchored = newest - 1  # the verification's own event follows the anchored head
    assert "1 event missing since the anchor" in outcome.summary
    (message,) = slack_api.calls_to("chat.postMessage")
    assert message.args["channel"] == "UCTRL1"
    text_ = message.args["text"]
    assert "found a problem in the audit trail" in text_
    assert f"recorded 4 events up to event {anchored}, and 3 of them are in the trail now" in text_
    assert f"Event {anchored} itself is gone." in text_


def test_a_restore_that_drops_events_is_told_in_finnish(
    database: Database,
    settings: Settings,
    slack_api: SlackWebApiDouble,
    templates: TemplateDatabases,
) -> None:
    add_controller(database, language="fi")
    consultations(database, 2)
    database.dispose()
    backup = templates.backup(database.url)
    consultations(database, 3)
    run(database, settings, now=NIGHT)
    database.dispose()

    templates.restore(database.url, backup)
    outcome = run(database, settings, now=NIGHT, force=True)

    assert "events missing since the anchor" in outcome.summary
    (message,) = slack_api.calls_to("chat.postMessage")
    assert "Yöllinen tarkastus havaitsi ongelman lokiketjussa" in message.args["text"]
    assert "ja niistä 2 on nyt lokiketjussa" in message.args["text"]
    templates.drop(backup)


def test_a_trail_that_is_not_intact_is_not_anchored_again(
    database: Database, settings: Settings
) -> None:
    consultations(database, 2)
    run(database, settings, now=NIGHT)
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
        owner.execute(text("DELETE FROM audit_events"))

    first = run(database, settings, now=NIGHT, force=True)
    second = run(database, settings, now=NIGHT, force=True)

    assert "missing" in first.summary and "missing" in second.summary
    assert len(settings.audit_anchor_path.read_text().splitlines()) == 1
