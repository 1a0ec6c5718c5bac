"""`retention-review`, weekly on Monday morning: tells the staff channel how many records have
outlived their retention period, by public reference only, with a button for the controller.

Nothing is posted when nothing is due, or when the agency has no reminder channel.
"""

from gettext import ngettext

from bot.jobs.job import Job, JobContext, weekly
from bot.jobs.reminder_delivery import remind
from storage import retention
from storage.enums import OutboxKind


def post_retention_review(job: JobContext) -> str:
    policy = job.agency.retention_policy
    today = job.today
    due = retention.count_due(session=job.session, today=today, policy=policy)
    if not due:
        return "no record is due for a retention decision; nothing posted"
    channel = job.agency.reminder_channel_id
    if channel is None:
        return f"{records_due(due)}; no REMINDER_CHANNEL_ID, nothing posted"
    remind(job, kind=OutboxKind.RETENTION_REVIEW, recipient=channel)
    return f"{records_due(due)}; posted to {channel}"


def records_due(due: int) -> str:
    return ngettext("%d record due", "%d records due", due) % due


RETENTION_REVIEW = Job(
    name="retention-review",
    description="posts how many records wait for a retention decision, with a review button",
    run=post_retention_review,
    period_of=weekly,
    cron={"day_of_week": "mon", "hour": 8, "minute": 0},
    to_slack=True,
)
