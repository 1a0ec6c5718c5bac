"""`audit-verify`, nightly: checks the audit chain of the agency the run acts for against that
agency's last anchor, anchors its head outside the database, and tells the agency's controllers
if its trail is broken or events are missing. Run for each agency, it checks every chain."""

from gettext import ngettext

from bot.jobs.job import Job, JobContext, daily
from bot.jobs.reminder_delivery import remind
from bot.outbox.reminders import chain_report_params
from bot.runtime.audit_anchors import verify_and_anchor
from storage import requests
from storage.audit import ChainReport
from storage.enums import OutboxKind


def verify_audit_trail(job: JobContext) -> str:
    report = verify_and_anchor(
        session=job.session, anchors=job.settings.audit_anchor_path, actor="system"
    )
    if report.intact:
        intact = (
            ngettext(
                "audit trail intact, %d event", "audit trail intact, %d events", report.checked
            )
            % report.checked
        )
        return intact + (f" after {report.pruned} pruned" if report.pruned else "")
    for controller in requests.active_controllers(session=job.session):
        remind(
            job,
            kind=OutboxKind.AUDIT_BROKEN,
            recipient=controller.slack_user_id,
            params=chain_report_params(report),
        )
    return f"{summary(report)}; controllers told"


def summary(report: ChainReport) -> str:
    parts = []
    if report.first_broken_id is not None:
        parts.append(f"audit trail broken at event {report.first_broken_id}")
    if report.missing is not None:
        missing = report.missing.missing
        parts.append(
            ngettext("%d event missing", "%d events missing", missing) % missing
            + f" since the anchor of event {report.missing.anchor.event_id}"
            + (" (gone)" if report.missing.head_gone else "")
            + (" (hash changed)" if report.missing.head_changed else "")
        )
    if report.foreign_epochs:
        parts.append(
            ngettext(
                "%d event sealed with another key",
                "%d events sealed with another key",
                report.unverifiable,
            )
            % report.unverifiable
        )
    return "; ".join(parts)


AUDIT_VERIFY = Job(
    name="audit-verify",
    description="checks the audit trail against its last anchor and anchors its head; tells the "
    "controllers if it is broken",
    run=verify_audit_trail,
    period_of=daily,
    cron={"hour": 2, "minute": 30},
)
