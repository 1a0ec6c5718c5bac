"""Scheduled jobs: each has a name, a cron schedule in the agency's time zone, and a period."""

from bot.jobs.audit_seal import AUDIT_SEAL
from bot.jobs.audit_verify import AUDIT_VERIFY
from bot.jobs.erasure_replay import ERASURE_REPLAY
from bot.jobs.follow_ups import FOLLOW_UPS
from bot.jobs.job import Job
from bot.jobs.outbox_delivery import OUTBOX_DELIVERY
from bot.jobs.record_retention import RECORD_RETENTION
from bot.jobs.request_deadlines import REQUEST_DEADLINES
from bot.jobs.retention_review import RETENTION_REVIEW
from bot.jobs.slack_files import SLACK_FILES

JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        AUDIT_SEAL,
        AUDIT_VERIFY,
        ERASURE_REPLAY,
        RETENTION_REVIEW,
        REQUEST_DEADLINES,
        FOLLOW_UPS,
        OUTBOX_DELIVERY,
        SLACK_FILES,
        RECORD_RETENTION,
    )
}

__all__ = ["JOBS", "Job"]
