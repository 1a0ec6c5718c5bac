"""`audit-verify`, nightly: checks the audit chain and tells the controllers if it is broken."""

from sqlalchemy import select

from bot.i18n import translator
from bot.jobs.job import Job, JobContext, daily
from storage import audit
from storage.models import Staff
from storage.models.enums import Role


def verify_audit_trail(job: JobContext) -> str:
    report = audit.verify_chain(session=job.session)
    audit.record(session=job.session, actor="system", action="audit.verify")
    if report.intact:
        return f"audit trail intact, {report.checked} events"
    controllers = job.session.execute(
        select(Staff.slack_user_id, Staff.language).where(
            Staff.role == Role.CONTROLLER, Staff.active.is_(True)
        )
    )
    for slack_user_id, language in controllers:
        t = translator(language or job.settings.default_language)
        text = t(
            "The nightly check found the audit trail broken at event %(event_id)d. "
            "Run `/rekisteri tarkastus` to see it, and find out who changed the database.",
            event_id=report.first_broken_id,
        )
        job.client.chat_postMessage(channel=slack_user_id, text=text)
    return f"audit trail broken at event {report.first_broken_id}; controllers told"


AUDIT_VERIFY = Job(
    name="audit-verify",
    description="checks the audit trail's hash chain; tells the controllers if it is broken",
    run=verify_audit_trail,
    period_of=daily,
    cron={"hour": 2, "minute": 30},
)
