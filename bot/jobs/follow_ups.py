"""`follow-ups`, every morning: each advisor hears of their follow-ups due today."""

from gettext import ngettext

from bot.jobs.job import Job, JobContext, daily
from bot.jobs.reminder_delivery import remind
from bot.outbox.reminders import FOLLOW_UPS_SHOWN
from storage.enums import OutboxKind
from storage.meetings import advisors_with_follow_ups, follow_up_reminder

NAME = "follow-ups"
__all__ = ["FOLLOW_UPS", "FOLLOW_UPS_SHOWN"]


def remind_of_follow_ups(job: JobContext) -> str:
    """The reminder is decided on (and audited) here; its message is rendered when delivered."""
    told = 0
    for advisor in advisors_with_follow_ups(session=job.session, on=job.today):
        reminder = follow_up_reminder(
            session=job.session, viewer=advisor, today=job.today, limit=FOLLOW_UPS_SHOWN
        )
        if not reminder.follow_ups:
            continue
        remind(job, kind=OutboxKind.FOLLOW_UPS, recipient=advisor.slack_user_id)
        told += 1
    return (
        ngettext(
            "%d advisor told of their follow-ups", "%d advisors told of their follow-ups", told
        )
        % told
    )


FOLLOW_UPS = Job(
    name=NAME,
    description="tells each advisor of their follow-ups due today",
    run=remind_of_follow_ups,
    period_of=daily,
    cron={"hour": 8, "minute": 0},
    to_slack=True,
)
