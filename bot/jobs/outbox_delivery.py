"""`outbox-delivery`, every minute: delivers what the outbox still holds and is due for another
try (a Slack outage, a process stopped between its commit and its delivery).

It claims no period: two runs at once (a slow one and the next) share the work, as each claims
the messages it sends.
"""

from datetime import UTC

from bot.jobs.job import Job, JobContext, per_minute
from bot.outbox.delivery import OutboxDeliverer
from bot.runtime.slack_client import without_retries
from storage import handled_events, outbox


def deliver_outbox(job: JobContext) -> str:
    now = job.now.astimezone(UTC)
    assert job.client is not None  # a job of the deployment's, given its client
    deliverer = OutboxDeliverer(
        database=job.database, client=without_retries(job.client), settings=job.settings
    )
    report = deliverer.deliver_due(now)
    with job.database.transaction() as session:
        handled_events.forget_old(session=session, now=now)
        outbox.forget_settled(session=session, now=now)
    return str(report)


OUTBOX_DELIVERY = Job(
    name="outbox-delivery",
    description="delivers the messages still in the outbox, with back-off, until delivered",
    run=deliver_outbox,
    period_of=per_minute,
    cron={"minute": "*"},
    guarded=False,
)
