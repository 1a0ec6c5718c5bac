"""`outbox-delivery`, every minute: delivers what the outbox still holds and is due for another
try (a Slack outage, a process stopped between its commit and its delivery).

It claims no period: two runs at once (a slow one and the next) share the work, as each claims
the messages it sends.
"""

from datetime import UTC

from bot.jobs.job import Job, JobContext, per_minute
from bot.outbox.delivery import DeliveryReport, OutboxDeliverer
from bot.runtime.slack_client import without_retries
from storage import handled_events, outbox
from storage.agency_settings import agencies_at_work


def deliver_outbox(job: JobContext) -> str:
    """Each agency's outbox, in its own transactions, with its own bot token."""
    now = job.now.astimezone(UTC)
    assert job.client is not None  # a job of the deployment's, given its client
    deliverer = OutboxDeliverer(
        database=job.database,
        client=without_retries(job.client),
        settings=job.settings,
        bot_tokens=job.bot_tokens,
    )
    with job.database.reading(agency=None) as session:
        agencies = [agency.id for agency in agencies_at_work(session=session)]
    report = DeliveryReport()
    for agency in agencies:
        its = deliverer.for_agency(agency)
        report += its.deliver_due(now)
        with its.database.transaction(agency=agency) as session:
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
