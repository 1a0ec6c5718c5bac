"""APScheduler 3: each job's cron trigger, in each agency's own time zone.

The deployment's time zone (TIMEZONE) has the jobs' cron triggers, each firing one run for the
agencies in that zone (every agency of a deployment that serves one workspace). APScheduler
keeps its jobs in memory, so a fire time missed while no clock was running is forgotten at the
next start; and an agency may live in another time zone. The catch-up serves both: as the
scheduler starts and then every minute, for each agency at work, each job whose latest fire
time in the agency's zone fell within the misfire grace runs once for that fire time's period,
unless `job_runs` shows the period already claimed.
"""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.jobs import JOBS, Job
from bot.jobs.runner import ClientFor, JobOutcome, agencies_to_run, run_job
from bot.outbox.delivery import BotTokens
from bot.runtime.installations import bot_tokens
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


class FireTimes:
    """The latest fire time the clock has handled, per job and agency: a catch-up round runs
    only what fired since, so the round each minute costs a claim only when one is due."""

    def __init__(self) -> None:
        self._handled: dict[tuple[str, int], datetime] = {}

    def first_time(self, job: str, agency: int, fire: datetime) -> bool:
        key = (job, agency)
        if key in self._handled and self._handled[key] >= fire:
            return False
        self._handled[key] = fire
        return True


def catch_up(
    *,
    database: Database,
    client: WebClient,
    settings: Settings,
    now: datetime | None = None,
    client_for: ClientFor | None = None,
    bot_tokens: BotTokens | None = None,
    fire_times: FireTimes | None = None,
) -> list[JobOutcome]:
    """Runs once, for each agency at work in its own time zone, each job whose latest fire
    time passed unrun, for that fire time's period (for an uninstalled agency, the jobs its
    kept register still needs)."""
    now = now or datetime.now(UTC)
    outcomes = []
    at_work = {agency.id for agency, _ in agencies_to_run(database, settings, None)}
    for agency, its_settings in agencies_to_run(database, settings, None, uninstalled_too=True):
        for job in JOBS.values():
            if not job.guarded:
                continue  # it runs again within the minute
            if agency.id not in at_work and not job.uninstalled_too:
                continue
            zone = its_settings.zone
            fire = latest_fire_time(trigger_for(job, zone), now.astimezone(zone))
            if fire is None:
                continue
            if fire_times is not None and not fire_times.first_time(job.name, agency.id, fire):
                continue
            try:
                outcome = run_job(
                    job.name,
                    database=database,
                    client=client,
                    client_for=client_for,
                    bot_tokens=bot_tokens,
                    settings=settings,
                    agency=agency.id,
                    now=fire,
                )
            except Exception as error:  # one job's failure leaves the others to catch up
                logger.error(
                    "Catch-up of job %s failed for agency %d: %s",
                    job.name,
                    agency.id,
                    type(error).__name__,
                )
                continue
            if outcome.ran:
                logger.info(
                    "Caught up job %s for %s (agency %d)", job.name, outcome.period, agency.id
                )
            outcomes.append(outcome)
    return outcomes


def build_scheduler(runtime: Runtime, *, blocking: bool) -> BaseScheduler:
    """Every job on its cron trigger in the deployment's time zone (for the agencies in it), and
    the catch-up at start and then every minute: each agency's jobs in its own time zone."""
    zone = runtime.settings.zone
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=zone) if blocking else BackgroundScheduler(timezone=zone)
    )
    arguments = {
        "database": runtime.database,
        "client": build_web_client(runtime.settings),
        "settings": runtime.settings,
        "bot_tokens": bot_tokens(runtime.settings, runtime.database),
    }
    for job in JOBS.values():
        scheduler.add_job(
            run_job,
            trigger_for(job, zone),
            id=job.name,
            kwargs={"name": job.name, "in_zone": zone if job.guarded else None, **arguments},
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(MISFIRE_GRACE.total_seconds()),
        )
    scheduler.add_job(
        catch_up,
        IntervalTrigger(minutes=1, timezone=zone),
        id=CATCH_UP,
        kwargs={**arguments, "fire_times": FireTimes()},
        next_run_time=datetime.now(zone),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    return scheduler
