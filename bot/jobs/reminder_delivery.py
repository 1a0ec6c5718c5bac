"""A scheduled reminder to one recipient, through the outbox: once per job, period and
recipient, however often the job is run for that period (a run killed after its commit and run
again, `--force`)."""

from typing import Any

from bot.jobs.job import JobContext
from storage import outbox
from storage.enums import OutboxKind


def remind(
    job: JobContext, *, kind: OutboxKind, recipient: str, params: dict[str, Any] | None = None
) -> bool:
    """True when the reminder was put in; False when this period's was already there."""
    return outbox.enqueue(
        session=job.session,
        key=f"job:{job.name}:{job.period}:{recipient}",
        kind=kind,
        recipient=recipient,
        params=params if params is not None else {"on": job.today.isoformat()},
    )
