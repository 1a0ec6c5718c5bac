"""Serving many workspaces (OAuth), the clock runs each job for every installed agency and posts
with that agency's own bot token: each channel gets its reminder from its own workspace's bot,
and the outbox's retries go the same way. An agency whose workspace removed the bot gets
nothing."""

from collections.abc import Iterator
from datetime import datetime

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.jobs.runner import run_job
from bot.runtime.installations import Installations, bot_tokens
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import outbox
from storage.db import Database
from storage.models.agency import THE_AGENCY, Agency
from storage.models.enums import OutboxKind
from tests.bot.helpers.two_agencies import (
    FIRST_CHANNEL,
    MONDAY_EARLY,
    OTHER,
    OTHER_CHANNEL,
    fill_registers,
    two_agencies,
)
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import many_workspaces_settings

TOKENS = {THE_AGENCY: "xoxb-agency-first", OTHER: "xoxb-agency-other"}
TEAMS = {THE_AGENCY: "T0FIRST", OTHER: "T0OTHER"}


@pytest.fixture
def many(database: Database, slack_api: SlackWebApiDouble) -> Iterator[tuple[Settings, Database]]:
    """Both agencies installed in workspaces of their own; the clock's database acts for no
    agency unless told."""
    settings = many_workspaces_settings(database, slack_api)
    two_agencies(database)
    fill_registers(database)
    with database.transaction() as session:
        first = session.get(Agency, THE_AGENCY)
        assert first is not None
        first.slack_team_id = TEAMS[THE_AGENCY]
    clock = database.acting_for(None)
    installations = Installations(settings, clock)
    for agency, token in TOKENS.items():
        installations.store.save(
            Installation(
                app_id="A0APP0001",
                team_id=TEAMS[agency],
                user_id=f"UINSTALL{agency}",
                bot_token=token,
                bot_id=f"B0BOT{agency}",
                bot_user_id=f"U0BOT{agency}",
            )
        )
    yield settings, clock


def run(
    settings: Settings, clock: Database, name: str, now: datetime | None = MONDAY_EARLY
) -> None:
    run_job(
        name,
        database=clock,
        client=build_web_client(settings),
        settings=settings,
        bot_tokens=bot_tokens(settings, clock),
        now=now,
    )


def tokens_by_channel(slack_api: SlackWebApiDouble) -> dict[str, set[str]]:
    sent: dict[str, set[str]] = {}
    for call in slack_api.calls_to("chat.postMessage"):
        sent.setdefault(call.args["channel"], set()).add(call.headers["authorization"])
    return sent


def test_each_agencys_reminder_is_posted_with_its_own_workspaces_token(
    many: tuple[Settings, Database], slack_api: SlackWebApiDouble
) -> None:
    settings, clock = many

    run(settings, clock, "retention-review")

    assert tokens_by_channel(slack_api) == {
        FIRST_CHANNEL: {f"Bearer {TOKENS[THE_AGENCY]}"},
        OTHER_CHANNEL: {f"Bearer {TOKENS[OTHER]}"},
    }


def test_the_outbox_delivers_each_agencys_leftovers_with_its_own_token(
    many: tuple[Settings, Database], slack_api: SlackWebApiDouble
) -> None:
    settings, clock = many
    for agency, channel in ((THE_AGENCY, FIRST_CHANNEL), (OTHER, OTHER_CHANNEL)):
        with clock.transaction(agency=agency) as session:  # no fast path here: left for the clock
            outbox.enqueue(
                session=session,
                key=f"test:{agency}",
                kind=OutboxKind.RETENTION_REVIEW,
                recipient=channel,
                params={"on": MONDAY_EARLY.date().isoformat()},
            )

    run(settings, clock, "outbox-delivery", now=None)  # what is due now

    assert tokens_by_channel(slack_api) == {
        FIRST_CHANNEL: {f"Bearer {TOKENS[THE_AGENCY]}"},
        OTHER_CHANNEL: {f"Bearer {TOKENS[OTHER]}"},
    }


def test_an_uninstalled_agency_gets_no_reminder(
    many: tuple[Settings, Database], slack_api: SlackWebApiDouble
) -> None:
    settings, clock = many
    Installations(settings, clock).uninstall(team_id=TEAMS[OTHER], enterprise_id=None)

    run(settings, clock, "retention-review")

    assert set(tokens_by_channel(slack_api)) == {FIRST_CHANNEL}
