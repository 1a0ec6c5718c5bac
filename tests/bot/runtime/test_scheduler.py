"""The scheduler, with time frozen: fire times across daylight saving, the catch-up after a
clock was down, and two clocks at once posting once."""

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.jobs import JOBS
from bot.jobs.job import weekly
from bot.jobs.runner import JobOutcome, run_job
from bot.runtime.scheduler import (
    CATCH_UP,
    MISFIRE_GRACE,
    build_scheduler,
    catch_up,
    latest_fire_time,
    trigger_for,
)
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.runtime.startup import Runtime
from storage.db import Database
from storage.models import DataSubjectRequest
from storage.models.enums import RequestChannel, RequestKind, RequestStatus, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_meeting, add_person, add_staff

HELSINKI = ZoneInfo("Europe/Helsinki")
SPRING_FORWARD = date(2026, 3, 29)  # 03:00 becomes 04:00
FALL_BACK = date(2026, 10, 25)  # 04:00 becomes 03:00 again
# The jobs that run once per period; the outbox's delivery runs every minute, unguarded.
GUARDED = sorted(name for name, job in JOBS.items() if job.guarded)


def fire_times(name: str, start: datetime, end: datetime) -> list[datetime]:
    trigger = trigger_for(JOBS[name], HELSINKI)
    fires = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < end:
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return fires


def local_day(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=HELSINKI)
    return start, datetime.combine(day + timedelta(days=1), start.timetz())


@pytest.mark.parametrize("name", GUARDED)
def test_no_job_is_scheduled_between_three_and_four_all_year(name: str) -> None:
    fires = fire_times(
        name, datetime(2026, 1, 1, tzinfo=HELSINKI), datetime(2027, 1, 1, tzinfo=HELSINKI)
    )

    assert fires
    assert [f for f in fires if 3 <= f.hour < 4] == []
    cron = JOBS[name].cron
    assert {(f.hour, f.minute) for f in fires} == {(cron["hour"], cron["minute"])}


@pytest.mark.parametrize("day", [SPRING_FORWARD, FALL_BACK], ids=["march", "october"])
@pytest.mark.parametrize("name", GUARDED)
def test_each_job_fires_once_at_its_time_on_the_daylight_saving_sundays(
    name: str, day: date
) -> None:
    cron = JOBS[name].cron
    if "day_of_week" in cron and not fire_times(name, *local_day(day)):
        return  # a weekly job that does not fire on a Sunday
    expected = datetime(day.year, day.month, day.day, cron["hour"], cron["minute"], tzinfo=HELSINKI)

    assert fire_times(name, *local_day(day)) == [expected]


def test_the_outbox_is_delivered_every_minute_all_day() -> None:
    fires = fire_times("outbox-delivery", *local_day(date(2026, 11, 30)))

    assert len(fires) == 24 * 60 and not JOBS["outbox-delivery"].guarded


def test_the_morning_reminders_keep_their_wall_clock_time_across_the_changes() -> None:
    def utc(name: str, day: date) -> datetime:
        (fire,) = fire_times(name, *local_day(day))
        return fire.astimezone(UTC)

    assert utc("request-deadlines", SPRING_FORWARD) == datetime(2026, 3, 29, 4, 30, tzinfo=UTC)
    assert utc("request-deadlines", FALL_BACK) == datetime(2026, 10, 25, 5, 30, tzinfo=UTC)
    assert utc("follow-ups", SPRING_FORWARD) == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)
    assert utc("follow-ups", FALL_BACK) == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
    assert utc("erasure-replay", SPRING_FORWARD) == datetime(2026, 3, 29, 0, 15, tzinfo=UTC)
    assert utc("audit-verify", FALL_BACK) == datetime(2026, 10, 25, 23, 30, tzinfo=UTC) - (
        timedelta(days=1)
    )


def test_a_week_is_the_iso_week_of_the_agency_from_monday_on() -> None:
    monday = datetime(2026, 11, 23, 0, 30, tzinfo=HELSINKI)
    assert weekly(monday) == "2026-W48"
    assert weekly(monday - timedelta(hours=1)) == "2026-W47"
    assert weekly(datetime(2024, 12, 30, 7, 0, tzinfo=HELSINKI)) == "2025-W01"


def test_a_run_early_on_monday_counts_in_the_agencys_day_not_utcs(
    database: Database, settings: Settings
) -> None:
    monday_in_helsinki = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)  # Monday 00:30 local
    outcome = run_job(
        "erasure-replay",
        database=database,
        client=build_web_client(settings),
        settings=settings,
        now=monday_in_helsinki,
    )
    assert outcome.period == "2026-11-23"


def test_the_latest_fire_time_is_only_looked_for_within_the_grace() -> None:
    trigger = trigger_for(JOBS["request-deadlines"], HELSINKI)
    at_fire = datetime(2026, 11, 27, 7, 30, tzinfo=HELSINKI)

    assert latest_fire_time(trigger, at_fire) == at_fire
    assert latest_fire_time(trigger, at_fire - timedelta(seconds=1)) is None
    assert latest_fire_time(trigger, at_fire + MISFIRE_GRACE) == at_fire
    assert latest_fire_time(trigger, at_fire + MISFIRE_GRACE + timedelta(seconds=1)) is None


def reminders_due(database: Database) -> None:
    """A controller with a request due today, an advisor with a follow-up today."""
    with database.transaction() as session:
        controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
        advisor = add_staff(session, "UADV1")
        person = add_person(session, "Maija", "Mallikas")
        add_meeting(
            session,
            person,
            advisor,
            datetime(2026, 11, 20, 10, tzinfo=HELSINKI),
            follow_up_on=date(2026, 11, 27),
        )
        session.add(
            DataSubjectRequest(
                kind=RequestKind.ACCESS,
                channel=RequestChannel.EMAIL,
                person_id=person.id,
                person_reference=person.reference,
                received_on=date(2026, 10, 27),
                due_on=date(2026, 11, 27),
                status=RequestStatus.RECEIVED,
                filed_by_id=controller.id,
            )
        )


def ran(outcomes: list[JobOutcome]) -> dict[str, str]:
    return {outcome.job: outcome.period for outcome in outcomes if outcome.ran}


def test_a_clock_down_at_the_fire_time_catches_up_once_at_start(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    reminders_due(database)
    client = build_web_client(settings)
    started = datetime(2026, 11, 27, 9, 15, tzinfo=HELSINKI)

    first = catch_up(database=database, client=client, settings=settings, now=started)
    second = catch_up(
        database=database, client=client, settings=settings, now=started + timedelta(hours=1)
    )

    # 02:15 and 02:30 are more than six hours before 09:15: their day is left to the next run.
    assert ran(first) == {"request-deadlines": "2026-11-27", "follow-ups": "2026-11-27"}
    assert ran(second) == {}
    assert [p.args["channel"] for p in slack_api.calls_to("chat.postMessage")] == [
        "UCTRL1",
        "UADV1",
    ]


def test_a_catch_up_leaves_alone_what_the_clock_ran_in_time(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    reminders_due(database)
    client = build_web_client(settings)
    in_time = datetime(2026, 11, 27, 7, 30, tzinfo=HELSINKI)
    run_job("request-deadlines", database=database, client=client, settings=settings, now=in_time)

    outcomes = catch_up(
        database=database, client=client, settings=settings, now=in_time + timedelta(minutes=45)
    )

    assert sorted(ran(outcomes)) == [
        "audit-verify",
        "erasure-replay",
        "follow-ups",
        "slack-files",
    ]
    assert [p.args["channel"] for p in slack_api.calls_to("chat.postMessage")] == [
        "UCTRL1",
        "UADV1",
    ]


def test_two_clocks_starting_at_once_post_once(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    reminders_due(database)
    started = datetime(2026, 11, 27, 9, 0, tzinfo=HELSINKI)
    barrier = threading.Barrier(2)
    results: list[list[JobOutcome]] = []

    def clock() -> None:
        client = build_web_client(settings)
        barrier.wait()
        results.append(catch_up(database=database, client=client, settings=settings, now=started))

    clocks = [threading.Thread(target=clock) for _ in range(2)]
    for thread in clocks:
        thread.start()
    for thread in clocks:
        thread.join()

    runs = [outcome.job for outcomes in results for outcome in outcomes if outcome.ran]
    assert sorted(runs) == ["follow-ups", "request-deadlines"]
    assert sorted(p.args["channel"] for p in slack_api.calls_to("chat.postMessage")) == [
        "UADV1",
        "UCTRL1",
    ]


def test_two_runs_of_one_job_at_once_post_once(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    reminders_due(database)
    fire = datetime(2026, 11, 27, 7, 30, tzinfo=HELSINKI)
    barrier = threading.Barrier(2)
    outcomes: list[JobOutcome] = []

    def scheduler() -> None:
        client = build_web_client(settings)
        barrier.wait()
        outcomes.append(
            run_job(
                "request-deadlines", database=database, client=client, settings=settings, now=fire
            )
        )

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcome.ran for outcome in outcomes) == [False, True]
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_the_scheduler_has_every_job_coalesced_and_the_catch_up_at_start(
    database: Database, settings: Settings
) -> None:
    scheduler = build_scheduler(Runtime(settings=settings, database=database), blocking=False)

    for name in JOBS:
        job = scheduler.get_job(name)
        assert job.coalesce and job.max_instances == 1
        assert job.misfire_grace_time == MISFIRE_GRACE.total_seconds()
    assert scheduler.get_job(CATCH_UP).func is catch_up
