"""`slack-files`, nightly: every file the bot uploaded whose time in Slack is up
(SLACK_FILE_RETENTION_DAYS after its upload, the date its message gave) is put up for deletion;
the outbox deletes it from Slack as soon as the run commits, and retries while Slack cannot."""

from bot.jobs.job import Job, JobContext, daily
from storage import slack_copies

NAME = "slack-files"


def delete_expired_files(job: JobContext) -> str:
    deleting = slack_copies.delete_expired(session=job.session, now=job.now)
    return f"{deleting} files to delete from Slack"


SLACK_FILES = Job(
    name=NAME,
    description="deletes from Slack the files the bot uploaded once their time there is up",
    run=delete_expired_files,
    period_of=daily,
    cron={"hour": 2, "minute": 45},
    to_slack=True,
)
