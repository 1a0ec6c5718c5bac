"""`request-deadlines`, every morning: each controller hears which requests are overdue or due
within 7 days; the reminder channel gets the counts only."""

from gettext import ngettext

from bot.jobs.job import Job, JobContext, daily
from bot.jobs.reminder_delivery import remind
from bot.outbox.reminders import split_overdue
from storage.enums import OutboxKind
from storage.requests import active_controllers, coming_due

NAME = "request-deadlines"


def remind_of_deadlines(job: JobContext) -> str:
    requests = coming_due(session=job.session, today=job.today)
    if not requests:
        return "no request overdue or due within 7 days"
    overdue, coming = split_overdue(requests, job.today)
    controllers = active_controllers(session=job.session)
    for controller in controllers:
        remind(job, kind=OutboxKind.REQUEST_DEADLINES, recipient=controller.slack_user_id)
    if job.agency.reminder_channel_id:
        remind(
            job,
            kind=OutboxKind.REQUEST_DEADLINE_COUNTS,
            recipient=job.agency.reminder_channel_id,
        )
    told = ngettext("%d controller told", "%d controllers told", len(controllers))
    return f"{len(overdue)} overdue, {len(coming)} coming due; " + told % len(controllers)


REQUEST_DEADLINES = Job(
    name=NAME,
    description="tells each controller of the requests overdue or due within 7 days",
    run=remind_of_deadlines,
    period_of=daily,
    cron={"hour": 7, "minute": 30},
    to_slack=True,
)
