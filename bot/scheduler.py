"""APScheduler 3: cron triggers in the agency's time zone, each firing one guarded job run."""

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.jobs import JOBS
from bot.jobs.runner import run_job
from bot.slack_client import build_web_client
from bot.startup import Runtime

logger = logging.getLogger(__name__)
# A run delayed past its fire time (a busy or suspended process) still runs once within this.
MISFIRE_GRACE_SECONDS = 6 * 3600


def build_scheduler(runtime: Runtime, *, blocking: bool) -> BaseScheduler:
    zone = runtime.settings.zone
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=zone) if blocking else BackgroundScheduler(timezone=zone)
    )
    client = build_web_client(runtime.settings)
    for job in JOBS.values():
        scheduler.add_job(
            run_job,
            CronTrigger(timezone=zone, **job.cron),
            id=job.name,
            kwargs={
                "name": job.name,
                "database": runtime.database,
                "client": client,
                "settings": runtime.settings,
            },
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return scheduler
