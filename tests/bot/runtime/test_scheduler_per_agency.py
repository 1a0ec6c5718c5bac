"""The clock runs each agency's jobs at their times in the agency's own time zone: the catch-up
round each minute finds what fell due since, for every agency at work."""

from datetime import UTC, datetime, timedelta

from bot.runtime.scheduler import CATCH_UP, FireTimes, build_scheduler, catch_up
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.runtime.startup import Runtime
from storage.db import Database
from storage.models.agency import THE_AGENCY, Agency

OTHER = 2
# 07:35 in Helsinki, 00:35 in New York: the first agency's morning jobs are due, none of the
# other's (its night's fell more than the misfire grace ago).
HELSINKI_MORNING = datetime(2026, 11, 27, 5, 35, tzinfo=UTC)
# The next day, 07:35 in New York and 14:35 in Helsinki: the other's night and morning are due.
NEW_YORK_MORNING = datetime(2026, 11, 28, 12, 35, tzinfo=UTC)


def other_agency_in_new_york(database: Database) -> None:
    with database.transaction() as session:
        session.add(
            Agency(id=OTHER, slack_team_id="T0OTHER", name="Toinen", timezone="America/New_York")
        )


def ran(outcomes) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    return sorted(
        (outcome.job, each.agency, each.period)
        for outcome in outcomes
        for each in outcome.agencies
        if each.ran
    )


def test_each_agencys_jobs_fire_in_its_own_time_zone(
    database: Database, settings: Settings
) -> None:
    other_agency_in_new_york(database)
    client = build_web_client(settings)
    fire_times = FireTimes()

    def round_at(now: datetime):  # type: ignore[no-untyped-def]
        return catch_up(
            database=database,
            client=client,
            client_for=lambda agency: client,
            settings=settings,
            now=now,
            fire_times=fire_times,
        )

    helsinki = round_at(HELSINKI_MORNING)
    a_minute_later = round_at(HELSINKI_MORNING + timedelta(minutes=1))
    new_york = round_at(NEW_YORK_MORNING)

    assert ("request-deadlines", THE_AGENCY, "2026-11-27") in ran(helsinki)
    assert {agency for _job, agency, _period in ran(helsinki)} == {THE_AGENCY}
    assert a_minute_later == []  # nothing fell due since: no claim is even tried
    assert ran(new_york) == [
        (job, OTHER, "2026-11-28")
        for job in (
            "audit-verify",
            "erasure-replay",
            "record-retention",
            "request-deadlines",
            "slack-files",
        )
    ]


def test_the_catch_up_runs_every_minute_from_the_start(
    database: Database, settings: Settings
) -> None:
    scheduler = build_scheduler(Runtime(settings=settings, database=database), blocking=False)

    job = scheduler.get_job(CATCH_UP)

    assert job.trigger.interval == timedelta(minutes=1)
    assert isinstance(job.kwargs["fire_times"], FireTimes)


def test_an_uninstalled_agencys_kept_register_still_gets_its_erasure_replay_alone(
    database: Database, settings: Settings
) -> None:
    other_agency_in_new_york(database)
    with database.transaction() as session:
        other = session.get(Agency, OTHER)
        assert other is not None
        other.uninstalled_at = HELSINKI_MORNING
    client = build_web_client(settings)

    new_york = catch_up(
        database=database,
        client=client,
        client_for=lambda agency: client,
        settings=settings,
        now=NEW_YORK_MORNING,
        fire_times=FireTimes(),
    )

    assert [(job, period) for job, agency, period in ran(new_york) if agency == OTHER] == [
        ("erasure-replay", "2026-11-28")
    ]
