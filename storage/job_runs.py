"""The once-per-period guard of scheduled jobs.

A job claims its period in the same transaction as its work: if the work fails, the claim is
rolled back with it and the next run finishes the job; if two clocks overlap, the second
claim waits on the unique (job, period) key and then finds the period taken.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import JobRun
from storage.models.base import utcnow


def claim(*, session: Session, job: str, period: str) -> JobRun | None:
    """The new run, or None when this period was already claimed."""
    run = JobRun(job=job, period=period, started_at=utcnow())
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        return None
    return run


def force(*, session: Session, job: str, period: str) -> JobRun:
    """Runs again in a period that may be taken: the existing claim is reused."""
    existing = session.scalar(select(JobRun).where(JobRun.job == job, JobRun.period == period))
    if existing is None:
        existing = JobRun(job=job, period=period, started_at=utcnow())
        session.add(existing)
    existing.started_at = utcnow()
    session.flush()
    return existing


def finish(*, session: Session, run: JobRun) -> None:
    run.finished_at = utcnow()
    session.flush()
