"""`follow-ups`, every morning: each advisor hears of their follow-ups due today."""

from bot.blocks.reminders import follow_ups_blocks, follow_ups_text
from bot.i18n import translator
from bot.jobs.job import Job, JobContext, daily
from bot.jobs.reminder_delivery import post
from storage.meetings import advisors_with_follow_ups, follow_up_reminder

NAME = "follow-ups"
# An advisor's message holds a block a follow-up; Slack takes 50 blocks a message.
FOLLOW_UPS_SHOWN = 40


def remind_of_follow_ups(job: JobContext) -> str:
    told = 0
    for advisor in advisors_with_follow_ups(session=job.session, on=job.today):
        reminder = follow_up_reminder(
            session=job.session, viewer=advisor, today=job.today, limit=FOLLOW_UPS_SHOWN
        )
        if not reminder.follow_ups:
            continue
        t = translator(advisor.language or job.settings.default_language)
        told += post(
            job.client,
            job=NAME,
            channel=advisor.slack_user_id,
            text=follow_ups_text(reminder, t),
            blocks=follow_ups_blocks(reminder, t, job.today),
        )
    return f"{told} advisors told of their follow-ups"


FOLLOW_UPS = Job(
    name=NAME,
    description="tells each advisor of their follow-ups due today",
    run=remind_of_follow_ups,
    period_of=daily,
    cron={"hour": 8, "minute": 0},
)
