"""Runs a job once for its period, in one transaction with its claim; what the job says goes
through the outbox, delivered as soon as that transaction commits."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from slack_sdk import WebClient

from bot.jobs import JOBS
from bot.jobs.job import JobContext
from bot.outbox.setup import deliver_after_commits
from bot.runtime.settings import Settings
from storage import job_runs
from storage.db import Database

logger = logging.getLogger(__name__)


class UnknownJob(Exception):
    pass


@dataclass(frozen=True)
class JobOutcome:
    job: str
    period: str
    ran: bool
    summary: str


def run_job(
    name: str,
    *,
    database: Database,
    client: WebClient,
    settings: Settings,
    force: bool = False,
    now: datetime | None = None,
) -> JobOutcome:
    job = JOBS.get(name)
    if job is None:
        raise UnknownJob(f"no job named {name!r}; jobs: {', '.join(sorted(JOBS))}")
    moment = (now or datetime.now(settings.zone)).astimezone(settings.zone)
    period = job.period_of(moment)
    deliver_after_commits(database, client, settings)
    context = JobContext(
        database=database, client=client, settings=settings, now=moment, name=name, period=period
    )
    if not job.guarded:
        summary = job.run(context)
        logger.debug("Job %s ran for %s: %s", name, period, summary)
        return JobOutcome(name, period, True, summary)
    with database.transaction(
        statement_timeout_ms=settings.database_job_statement_timeout_ms
    ) as session:
        if force:
            run = job_runs.force(session=session, job=name, period=period)
        else:
            claimed = job_runs.claim(session=session, job=name, period=period)
            if claimed is None:
                logger.info("Job %s already ran for %s", name, period)
                return JobOutcome(name, period, False, f"already ran for {period}")
            run = claimed
        summary = job.run(replace(context, transaction=session))
        job_runs.finish(session=session, run=run)
    logger.info("Job %s ran for %s", name, period)
    return JobOutcome(name, period, True, summary)
