"""`record-retention`: closed requests past REQUEST_RETENTION_YEARS deleted, audit events past
AUDIT_RETENTION_YEARS pruned, the trail verified afterwards; on PostgreSQL with an owner
role set, the pruning runs as the owner."""

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.jobs.runner import JobOutcome, run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import audit
from storage.db import Database
from storage.models import AuditEvent, DataSubjectRequest
from storage.models.base import utcnow
from storage.models.enums import RequestChannel, RequestKind, RequestStatus
from tests.bot.helpers.jobs import job_settings
from tests.doubles.slack_web_api import SlackWebApiDouble


def run(database: Database, settings: Settings, now: datetime) -> JobOutcome:
    client = build_web_client(settings)
    return run_job("record-retention", database=database, client=client, settings=settings, now=now)


def closed_request(database: Database) -> int:
    with database.transaction() as session:
        request = DataSubjectRequest(
            kind=RequestKind.ACCESS,
            channel=RequestChannel.EMAIL,
            received_on=date(2026, 1, 5),
            due_on=date(2026, 2, 5),
            status=RequestStatus.COMPLETED,
            completed_at=utcnow(),
        )
        session.add(request)
        session.flush()
        for n in range(3):
            audit.record(session=session, actor="U1", action="person.view", person_id=n)
        return request.id


def counts(database: Database) -> tuple[int, int]:
    with database.reading() as session:
        requests = session.scalar(select(func.count()).select_from(DataSubjectRequest)) or 0
        events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return requests, events


def test_nothing_young_is_touched(database: Database, settings: Settings) -> None:
    closed_request(database)
    outcome = run(database, settings, datetime.now(settings.zone))
    assert outcome.ran and "0 closed requests deleted" in outcome.summary
    assert counts(database) == (1, 3)


def test_past_their_periods_requests_go_and_the_trail_is_pruned_yet_verifies(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    closed_request(database)
    settings = job_settings(database, slack_api, request_retention_years=2, audit_retention_years=3)
    years_later = datetime.now(settings.zone) + timedelta(days=4 * 366)
    outcome = run(database, settings, years_later)
    assert "1 closed requests deleted" in outcome.summary
    assert "3 audit events pruned" in outcome.summary
    requests, events = counts(database)
    assert requests == 0 and events == 1  # the pruning's own record
    with database.reading() as session:
        report = audit.verify_chain(session=session)
    assert report.intact and report.pruned == 3


def test_the_owner_role_prunes_on_postgresql(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    closed_request(database)
    settings = job_settings(database, slack_api, database_owner_url=database.url)
    outcome = run(database, settings, datetime.now(settings.zone) + timedelta(days=6 * 366))
    assert "3 audit events pruned" in outcome.summary
    with database.reading() as session:
        assert audit.verify_chain(session=session).intact


def test_audit_verify_after_the_pruning_finds_the_trail_intact(
    database: Database, slack_api: SlackWebApiDouble, tmp_path: Path
) -> None:
    closed_request(database)
    settings = job_settings(database, slack_api, erasure_ledger_path=tmp_path / "ledger.jsonl")
    later = datetime.now(settings.zone) + timedelta(days=6 * 366)
    run(database, settings, later)
    client = build_web_client(settings)
    verified = run_job(
        "audit-verify", database=database, client=client, settings=settings, now=later
    )
    assert "audit trail intact" in verified.summary and "after 3 pruned" in verified.summary
