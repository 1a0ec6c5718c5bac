"""What a scheduled job is, and how its period is named."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.outbox.delivery import BotTokens
from bot.runtime.settings import Settings
from storage.agency_settings import AgencySettings
from storage.db import Database


@dataclass(frozen=True)
class JobContext:
    database: Database
    client: WebClient | None  # the agency's; None when it has none (see Job.to_slack)
    settings: Settings
    now: datetime  # the moment the run is for, in the agency's time zone
    name: str
    period: str
    # The agency the run is for, and its settings in force; None: a job of the deployment's
    # (unguarded), with the deployment's settings.
    agency_id: int | None
    agency: AgencySettings
    transaction: Session | None = None  # the run's, with its claim; None for unguarded jobs
    # Each agency's bot token where each has a workspace of its own; None: one workspace,
    # whose token `client` carries.
    bot_tokens: BotTokens | None = None

    @property
    def session(self) -> Session:
        if self.transaction is None:
            raise RuntimeError(f"job {self.name} runs outside a transaction")
        return self.transaction

    @property
    def today(self) -> date:
        return self.now.date()


def per_minute(now: datetime) -> str:
    return now.strftime("%Y-%m-%dT%H:%M")


def daily(now: datetime) -> str:
    return now.date().isoformat()


def weekly(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    run: Callable[[JobContext], str]
    period_of: Callable[[datetime], str]
    # APScheduler cron fields, in the agency's time zone; never 03:00-04:00 (daylight saving).
    cron: dict[str, Any] = field(default_factory=dict)
    # False: the job claims no period and gets no transaction; it opens its own short ones and
    # is safe to run twice at once (the outbox's delivery). A guarded job runs for each agency.
    guarded: bool = True
    # True: the job's work is for the agency's workspace; an agency without a Web API client
    # (its installation gone or not found) is skipped.
    to_slack: bool = False
    # True: the job runs for every agency whose register the database holds, its workspace's
    # installation gone or not (what an uninstalled agency's register still needs).
    uninstalled_too: bool = False
