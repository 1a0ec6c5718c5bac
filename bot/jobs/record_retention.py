"""`record-retention`, nightly: deletes the data-subject requests closed more than
REQUEST_RETENTION_YEARS ago, and prunes the audit trail's events older than
AUDIT_RETENTION_YEARS as one prefix of its chain, which stays verifiable from there.

The bot's own role may not delete audit events: on PostgreSQL with DATABASE_OWNER_URL set, the
pruning runs as the owner, in a transaction of its own that commits before the requests are
deleted."""

from dateutil.relativedelta import relativedelta

from bot.jobs.job import Job, JobContext, daily
from storage import audit, record_retention
from storage.db import Database
from storage.record_retention import Pruning


def apply_record_retention(job: JobContext) -> str:
    pruning = _prune(job)
    deleted = record_retention.delete_expired_requests(
        session=job.session,
        closed_before=job.now - relativedelta(years=job.agency.request_retention_years),
    )
    return f"{deleted} closed requests deleted; {_said(pruning)}"


def _prune(job: JobContext) -> Pruning:
    older_than = job.now - relativedelta(years=job.agency.audit_retention_years)
    owner_url = job.settings.database_owner_url
    # SQLite has no roles (and one writer at a time): the run's own transaction prunes.
    if owner_url is None or job.database.backend != "postgresql":
        return record_retention.prune_audit_trail(session=job.session, older_than=older_than)
    owner = Database(
        owner_url,
        audit_chain_key=audit.chain_key(job.session),
        statement_timeout_ms=job.settings.database_job_statement_timeout_ms,
    )
    try:
        with owner.transaction(agency=job.agency_id) as session:
            return record_retention.prune_audit_trail(session=session, older_than=older_than)
    finally:
        owner.dispose()


def _said(pruning: Pruning) -> str:
    if pruning.refused_at is not None:
        return f"audit trail not pruned: broken at event {pruning.refused_at}"
    if pruning.through_seq is None:
        return "no audit events to prune"
    return f"{pruning.pruned} audit events pruned through chain position {pruning.through_seq}"


RECORD_RETENTION = Job(
    name="record-retention",
    description="deletes closed requests and prunes audit events past their retention periods",
    run=apply_record_retention,
    period_of=daily,
    # Before audit-verify (02:30), which then checks and anchors what is left.
    cron={"hour": 2, "minute": 5},
)
