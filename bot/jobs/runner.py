"""Runs a job once for its period: a guarded job for every agency at work, each in a transaction
of its own that acts for it and holds its claim, in the agency's own time zone and settings;
what the job says goes through the outbox, delivered as soon as that transaction commits.

One agency's failure leaves the others to run; the run fails only when every agency's did."""

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.jobs import JOBS, Job
from bot.jobs.job import JobContext
from bot.outbox.delivery import BotTokens
from bot.outbox.setup import deliver_after_commits
from bot.runtime.settings import Settings
from storage import agency_settings, job_runs
from storage.agency_settings import THE_AGENCY, AgencyAtWork, AgencySettings
from storage.db import Database

logger = logging.getLogger(__name__)

# The agency's Web API client, with its own token; None: its Slack-bound jobs are skipped.
ClientFor = Callable[[AgencyAtWork], WebClient | None]


class UnknownJob(Exception):
    pass


class UnknownAgency(Exception):
    pass


@dataclass(frozen=True)
class AgencyOutcome:
    agency: int
    period: str
    ran: bool
    summary: str
    failed: bool = False
    skipped: bool = False  # no Slack client for the agency


@dataclass(frozen=True)
class JobOutcome:
    """A run of a job: for a guarded job, one outcome per agency; with one agency, its period
    and summary are the run's."""

    job: str
    period: str
    ran: bool
    summary: str
    agencies: tuple[AgencyOutcome, ...] = ()

    @property
    def failed(self) -> bool:
        return any(outcome.failed for outcome in self.agencies)

    @classmethod
    def of(cls, job: str, outcomes: list[AgencyOutcome]) -> "JobOutcome":
        if len(outcomes) == 1:
            (only,) = outcomes
            return cls(job, only.period, only.ran, only.summary, (only,))
        periods = ", ".join(sorted({outcome.period for outcome in outcomes}))
        summary = "; ".join(f"agency {o.agency}: {o.summary}" for o in outcomes) or (
            "no agency at work"
        )
        return cls(job, periods, any(o.ran for o in outcomes), summary, tuple(outcomes))


def one_workspace(client: WebClient) -> ClientFor:
    """A deployment that serves one workspace: its one client is the agency's."""
    return lambda agency: client if agency.id == THE_AGENCY else None


def each_workspace(client: WebClient, bot_tokens: BotTokens) -> ClientFor:
    """A deployment that serves many workspaces: each agency's client carries its workspace's
    bot token; an agency without one (any more) has none."""

    def client_of(agency: AgencyAtWork) -> WebClient | None:
        token = bot_tokens(agency.id)
        if token is None:
            return None
        its = copy.copy(client)
        its.token = token
        return its

    return client_of


def run_job(
    name: str,
    *,
    database: Database,
    client: WebClient,
    settings: Settings,
    client_for: ClientFor | None = None,
    bot_tokens: BotTokens | None = None,
    agency: int | None = None,
    in_zone: ZoneInfo | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> JobOutcome:
    """Runs the job now (or for the moment `now`): for `agency` alone, or for every agency at
    work (in the time zone `in_zone`, if given). `client` delivers the outbox and serves the
    deployment's own jobs, with each agency's bot token where each has its own (`bot_tokens`:
    serving many workspaces)."""
    job = JOBS.get(name)
    if job is None:
        raise UnknownJob(f"no job named {name!r}; jobs: {', '.join(sorted(JOBS))}")
    deliver_after_commits(database, client, settings, bot_tokens=bot_tokens)
    if not job.guarded:
        return _run_unguarded(
            job, database=database, client=client, settings=settings, now=now, tokens=bot_tokens
        )
    if client_for is None:
        client_for = (
            one_workspace(client) if bot_tokens is None else each_workspace(client, bot_tokens)
        )
    outcomes, errors = [], []
    chosen = agencies_to_run(
        database, settings, agency, in_zone=in_zone, uninstalled_too=job.uninstalled_too
    )
    for each, its_settings in chosen:
        its_client = client_for(each)
        try:
            outcomes.append(
                _run_for_agency(
                    job,
                    each.id,
                    its_settings,
                    database=database,
                    client=its_client,
                    settings=settings,
                    force=force,
                    now=now,
                )
            )
        except Exception as error:  # one agency's failure leaves the others to run
            logger.error("Job %s failed for agency %d: %s", name, each.id, type(error).__name__)
            period = job.period_of(_moment(now, its_settings))
            outcomes.append(AgencyOutcome(each.id, period, False, "failed", failed=True))
            errors.append(error)
    if errors and len(errors) == len(outcomes):
        raise errors[0]
    return JobOutcome.of(name, outcomes)


def agencies_to_run(
    database: Database,
    settings: Settings,
    agency: int | None,
    *,
    in_zone: ZoneInfo | None = None,
    uninstalled_too: bool = False,
) -> list[tuple[AgencyAtWork, AgencySettings]]:
    """The agencies at work (or the one named, if it is; or those in the time zone `in_zone`),
    each with its settings in force; `uninstalled_too`: every agency whose register stays."""
    with database.reading() as session:
        at_work = agency_settings.agencies_at_work(session=session, uninstalled_too=uninstalled_too)
        if agency is not None:
            at_work = [each for each in at_work if each.id == agency]
            if not at_work:
                raise UnknownAgency(f"no agency {agency} at work")
        chosen = [
            (
                each,
                agency_settings.effective(
                    session=session, deployment=settings.deployment_defaults, agency=each.id
                ),
            )
            for each in at_work
        ]
    if in_zone is None:
        return chosen
    return [(each, its) for each, its in chosen if its.timezone == str(in_zone)]


def _moment(now: datetime | None, its: AgencySettings) -> datetime:
    return (now or datetime.now(its.zone)).astimezone(its.zone)


def _run_unguarded(
    job: Job,
    *,
    database: Database,
    client: WebClient,
    settings: Settings,
    now: datetime | None,
    tokens: BotTokens | None,
) -> JobOutcome:
    deployment = settings.deployment_defaults
    moment = _moment(now, deployment)
    period = job.period_of(moment)
    context = JobContext(
        database=database,
        client=client,
        settings=settings,
        now=moment,
        name=job.name,
        period=period,
        agency_id=None,
        agency=deployment,
        bot_tokens=tokens,
    )
    summary = job.run(context)
    logger.debug("Job %s ran for %s: %s", job.name, period, summary)
    return JobOutcome(job.name, period, True, summary)


def _run_for_agency(
    job: Job,
    agency: int,
    its_settings: AgencySettings,
    *,
    database: Database,
    client: WebClient | None,
    settings: Settings,
    force: bool,
    now: datetime | None,
) -> AgencyOutcome:
    moment = _moment(now, its_settings)
    period = job.period_of(moment)
    if client is None and job.to_slack:
        logger.warning("Job %s skipped for agency %d: no Slack client", job.name, agency)
        return AgencyOutcome(agency, period, False, "no Slack client for the agency", skipped=True)
    context = JobContext(
        database=database,
        client=client,
        settings=settings,
        now=moment,
        name=job.name,
        period=period,
        agency_id=agency,
        agency=its_settings,
    )
    with database.transaction(
        statement_timeout_ms=settings.database_job_statement_timeout_ms, agency=agency
    ) as session:
        if force:
            run = job_runs.force(session=session, job=job.name, period=period)
        else:
            claimed = job_runs.claim(session=session, job=job.name, period=period)
            if claimed is None:
                logger.info("Job %s already ran for %s (agency %d)", job.name, period, agency)
                return AgencyOutcome(agency, period, False, f"already ran for {period}")
            run = claimed
        summary = job.run(replace(context, transaction=session))
        job_runs.finish(session=session, run=run)
    logger.info("Job %s ran for %s (agency %d)", job.name, period, agency)
    return AgencyOutcome(agency, period, True, summary)
