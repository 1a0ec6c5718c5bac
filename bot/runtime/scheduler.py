"""APScheduler 3: cron triggers in the agency's time zone, each firing one guarded job run.

APScheduler keeps its jobs in memory, so a fire time missed while no clock was running is
forgotten at the next start. The scheduler therefore catches up as it starts: each job whose
latest fire time fell within the misfire grace runs once for that fire time's period, unless
`job_runs` shows the period already claimed.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.jobs import JOBS, Job
from bot.jobs.runner import JobOutcome, run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.runtime.startup import Runtime
from storage.db import Database

logger = logging.getLogger(__name__)
# A run delayed past its fire time (a busy, suspended or restarted process) still runs once
# within this.
MISFIRE_GRACE = timedelta(hours=6)
CATCH_UP = "catch-up"


def trigger_for(job: Job, zone: ZoneInfo) -> CronTrigger:
    return CronTrigger(timezone=zone, **job.cron)


def latest_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The last time the trigger fired at or before `now`, within the misfire grace."""
    latest = None
    fire = trigger.get_next_fire_time(None, now - MISFIRE_GRACE)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire)
    return latest


def catch_up(
    *, database: Database, client: WebClient, settings: Settings, now: datetime | None = None
) -> list[JobOutcome]:
    """Runs once each job whose latest fire time passed unrun, for that fire time's period."""
    now = (now or datetime.now(settings.zone)).astimezone(settings.zone)
    outcomes = []
    for job in JOBS.values():
        if not job.guarded:
            continue  # it runs again within the minute
        fire = latest_fire_time(trigger_for(job, settings.zone), now)
        if fire is None:
            continue
        try:
            outcome = run_job(
                job.name, database=database, client=client, settings=settings, now=fire
            )
        except Exception as error:  # one job's failure leaves the others to catch up
            logger.error("Catch-up of job %s failed: %s", job.name, type(error).__name__)
            continue
        if outcome.ran:
            logger.info("Caught up job %s for %s", job.name, outcome.period)
        outcomes.append(outcome)
    return outcomes


def build_scheduler(runtime: Runtime, *, blocking: bool) -> BaseScheduler:
    """Every job on its cron trigger, and the catch-up once, as soon as the scheduler starts."""
    zone = runtime.settings.zone
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=zone) if blocking else BackgroundScheduler(timezone=zone)
    )
    arguments = {
        "database": runtime.database,
        "client": build_web_client(runtime.settings),
        "settings": runtime.settings,
    }
    for job in JOBS.values():
        scheduler.add_job(
            run_job,
            trigger_for(job, zone),
            id=job.name,
            kwargs={"name": job.name, **arguments},
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
        )
    scheduler.add_job(catch_up, id=CATCH_UP, kwargs=arguments, misfire_grace_time=None)
    return scheduler
