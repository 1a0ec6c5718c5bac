"""`audit-verify`, nightly: checks the audit chain and tells the controllers if it is broken."""

from sqlalchemy import select

from bot.jobs.job import Job, JobContext, daily
from bot.jobs.reminder_delivery import remind
from storage import audit
from storage.models import Staff
from storage.models.enums import OutboxKind, Role


def verify_audit_trail(job: JobContext) -> str:
    report = audit.verify_chain(session=job.session)
    audit.record(session=job.session, actor="system", action="audit.verify")
    if report.intact:
        return f"audit trail intact, {report.checked} events"
    controllers = job.session.scalars(
        select(Staff.slack_user_id).where(Staff.role == Role.CONTROLLER, Staff.active.is_(True))
    )
    for slack_user_id in controllers:
        remind(
            job,
            kind=OutboxKind.AUDIT_BROKEN,
            recipient=slack_user_id,
            params={"event_id": report.first_broken_id},
        )
    return f"audit trail broken at event {report.first_broken_id}; controllers told"


AUDIT_VERIFY = Job(
    name="audit-verify",
    description="checks the audit trail's hash chain; tells the controllers if it is broken",
    run=verify_audit_trail,
    period_of=daily,
    cron={"hour": 2, "minute": 30},
)
