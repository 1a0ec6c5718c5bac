"""`audit-seal`: the clock's round for events no serving process sealed."""

from sqlalchemy import select

from bot.jobs.runner import run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import audit
from storage.db import Database
from storage.models import AuditSeal
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import make_settings


def test_the_audit_seal_job_seals_what_is_queued(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    settings: Settings = make_settings(database, slack_api)
    with database.transaction() as session:
        event_id = audit.record(session=session, actor="U1", action="person.view").id

    outcome = run_job(
        "audit-seal", database=database, client=build_web_client(settings), settings=settings
    )

    assert outcome.summary == "1 audit event sealed"
    with database.reading() as session:
        assert session.scalar(select(AuditSeal.seq).where(AuditSeal.event_id == event_id)) == 1
    again = run_job(
        "audit-seal", database=database, client=build_web_client(settings), settings=settings
    )
    assert again.summary == "0 audit events sealed"
