"""`request-deadlines`, every morning: each controller hears which requests are overdue or due
within 7 days; the reminder channel gets the counts only."""

from bot.blocks.reminders import deadlines_blocks, deadlines_text, split_overdue
from bot.i18n import translator
from bot.jobs.job import Job, JobContext, daily
from bot.jobs.reminder_delivery import post
from storage.requests import active_controllers, coming_due

NAME = "request-deadlines"


def remind_of_deadlines(job: JobContext) -> str:
    requests = coming_due(session=job.session, today=job.today)
    if not requests:
        return "no request overdue or due within 7 days"
    overdue, coming = split_overdue(requests, job.today)
    told = 0
    for controller in active_controllers(session=job.session):
        t = translator(controller.language or job.settings.default_language)
        told += post(
            job.client,
            job=NAME,
            channel=controller.slack_user_id,
            text=deadlines_text(len(overdue), len(coming), t),
            blocks=deadlines_blocks(requests, t, job.today),
        )
    if job.settings.reminder_channel_id:
        post(
            job.client,
            job=NAME,
            channel=job.settings.reminder_channel_id,
            text=deadlines_text(
                len(overdue), len(coming), translator(job.settings.default_language)
            ),
        )
    return f"{len(overdue)} overdue, {len(coming)} coming due; {told} controllers told"


REQUEST_DEADLINES = Job(
    name=NAME,
    description="tells each controller of the requests overdue or due within 7 days",
    run=remind_of_deadlines,
    period_of=daily,
    cron={"hour": 7, "minute": 30},
)
