"""Each job runs once per period for every agency at work: in the agency's own transaction, time
zone and settings, posting to its own reminder channel, with its own records only."""

from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from sqlalchemy import select, text

from bot.jobs.runner import UnknownAgency, one_workspace, run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage.agency_settings import AgencyAtWork
from storage.db import Database
from storage.models import JobRun, OutboxMessage
from storage.models.agency import THE_AGENCY, Agency
from storage.models.enums import OutboxKind
from tests.bot.helpers.two_agencies import (
    FIRST_CHANNEL,
    MONDAY_EARLY,
    OTHER,
    OTHER_CHANNEL,
    fill_registers,
    two_agencies,
)


def outbox_of(database: Database, agency: int) -> list[tuple[OutboxKind, str]]:
    with database.reading(agency=agency) as session:
        rows = session.execute(
            select(OutboxMessage.kind, OutboxMessage.recipient).order_by(OutboxMessage.id)
        )
        return [(row.kind, row.recipient) for row in rows]


def run(database: Database, settings: Settings, name: str, **kwargs: object):  # type: ignore[no-untyped-def]
    """A run in which each agency has a client (as a deployment for many workspaces gives)."""
    client = build_web_client(settings)
    kwargs.setdefault("now", MONDAY_EARLY)
    kwargs.setdefault("client_for", lambda agency: client)
    return run_job(
        name,
        database=database,
        client=client,
        settings=settings,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def agencies(database: Database) -> Database:
    two_agencies(database)
    fill_registers(database)
    return database


def test_the_retention_review_goes_to_each_agencys_channel_with_its_own_count(
    agencies: Database, settings: Settings
) -> None:
    outcome = run(agencies, settings, "retention-review")

    first, other = outcome.agencies
    assert (first.agency, first.period, first.ran) == (THE_AGENCY, "2026-W49", True)
    assert first.summary == f"1 record due; posted to {FIRST_CHANNEL}"
    assert (other.agency, other.period, other.ran) == (OTHER, "2026-W48", True)
    assert other.summary == f"2 records due; posted to {OTHER_CHANNEL}"
    assert outbox_of(agencies, THE_AGENCY) == [(OutboxKind.RETENTION_REVIEW, FIRST_CHANNEL)]
    assert outbox_of(agencies, OTHER) == [(OutboxKind.RETENTION_REVIEW, OTHER_CHANNEL)]


def test_the_deadline_reminders_go_to_each_agencys_controllers_and_channel(
    agencies: Database, settings: Settings
) -> None:
    outcome = run(agencies, settings, "request-deadlines")

    first, other = outcome.agencies
    assert (first.period, other.period) == ("2026-11-30", "2026-11-29")
    assert first.summary == "0 overdue, 1 coming due; 1 controller told"
    assert other.summary == "2 overdue, 0 coming due; 1 controller told"
    assert outbox_of(agencies, THE_AGENCY) == [
        (OutboxKind.REQUEST_DEADLINES, "UCTRL1"),
        (OutboxKind.REQUEST_DEADLINE_COUNTS, FIRST_CHANNEL),
    ]
    assert outbox_of(agencies, OTHER) == [
        (OutboxKind.REQUEST_DEADLINES, "UCTRL2"),
        (OutboxKind.REQUEST_DEADLINE_COUNTS, OTHER_CHANNEL),
    ]


def test_a_second_run_in_the_period_does_nothing_for_either_and_a_forced_one_reruns(
    agencies: Database, settings: Settings
) -> None:
    run(agencies, settings, "retention-review")

    again = run(agencies, settings, "retention-review")
    forced = run(agencies, settings, "retention-review", force=True)

    assert [(o.agency, o.ran) for o in again.agencies] == [(THE_AGENCY, False), (OTHER, False)]
    assert not again.ran
    assert [(o.agency, o.ran) for o in forced.agencies] == [(THE_AGENCY, True), (OTHER, True)]
    for agency in (THE_AGENCY, OTHER):
        with agencies.reading(agency=agency) as session:
            assert len(session.scalars(select(JobRun)).all()) == 1
        assert len(outbox_of(agencies, agency)) == 1  # once per period and recipient


def test_an_uninstalled_agencys_jobs_do_not_run(agencies: Database, settings: Settings) -> None:
    with agencies.transaction() as session:
        other = session.get(Agency, OTHER)
        assert other is not None
        other.uninstalled_at = datetime.now(UTC)

    outcome = run(agencies, settings, "retention-review")

    assert [o.agency for o in outcome.agencies] == [THE_AGENCY]
    assert outcome.summary == f"1 record due; posted to {FIRST_CHANNEL}"
    assert outbox_of(agencies, OTHER) == []
    with pytest.raises(UnknownAgency):
        run(agencies, settings, "retention-review", agency=OTHER)


def test_a_job_runs_for_one_agency_when_named(agencies: Database, settings: Settings) -> None:
    outcome = run(agencies, settings, "retention-review", agency=OTHER)
    then_all = run(agencies, settings, "retention-review")

    assert [(o.agency, o.ran) for o in outcome.agencies] == [(OTHER, True)]
    assert outbox_of(agencies, THE_AGENCY) == [(OutboxKind.RETENTION_REVIEW, FIRST_CHANNEL)]
    assert [(o.agency, o.ran) for o in then_all.agencies] == [(THE_AGENCY, True), (OTHER, False)]


def test_an_agency_without_a_client_is_skipped_and_the_others_run(
    agencies: Database, settings: Settings
) -> None:
    client = build_web_client(settings)

    outcome = run(agencies, settings, "retention-review", client_for=one_workspace(client))

    first, other = outcome.agencies
    assert first.ran and not other.ran and other.skipped
    assert outbox_of(agencies, OTHER) == []
    with agencies.reading(agency=OTHER) as session:
        assert session.scalars(select(JobRun)).all() == []  # its period is left to a later run


def test_the_client_for_each_agency_comes_from_the_callable(
    agencies: Database, settings: Settings
) -> None:
    asked: list[int] = []

    def client_for(agency: AgencyAtWork) -> WebClient | None:
        asked.append(agency.id)
        return build_web_client(settings)

    run(agencies, settings, "retention-review", client_for=client_for)

    assert asked == [THE_AGENCY, OTHER]


def test_one_agencys_failure_leaves_the_other_to_run(
    agencies: Database, settings: Settings
) -> None:
    with agencies.transaction() as session:
        other = session.get(Agency, OTHER)
        assert other is not None
        # A value the rules refuse, stored past them: the other agency's review cannot run.
        other.retention_member_months = 0

    outcome = run(agencies, settings, "retention-review")

    first, failed = outcome.agencies
    assert first.ran and failed.failed and outcome.failed
    assert outbox_of(agencies, THE_AGENCY) == [(OutboxKind.RETENTION_REVIEW, FIRST_CHANNEL)]


def test_when_every_agency_fails_the_run_fails(agencies: Database, settings: Settings) -> None:
    with agencies.engine.begin() as connection:
        connection.execute(text("UPDATE agencies SET retention_member_months = 0"))

    with pytest.raises(ValueError, match="whole months"):
        run(agencies, settings, "retention-review")


def test_two_agencies_claim_the_same_period_each_for_itself(
    agencies: Database, settings: Settings
) -> None:
    with agencies.transaction() as session:
        other = session.get(Agency, OTHER)
        assert other is not None
        other.timezone = None  # the deployment's, as the first agency's

    outcome = run(agencies, settings, "retention-review")
    again = run(agencies, settings, "retention-review")

    assert [(o.agency, o.period, o.ran) for o in outcome.agencies] == [
        (THE_AGENCY, "2026-W49", True),
        (OTHER, "2026-W49", True),
    ]
    assert not again.ran
