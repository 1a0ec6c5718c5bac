"""The OAuth glue: a state the bot did not sign is refused, an agency's bot token is its
workspace's, and a workspace of an org-wide installation becomes an agency at its first
request."""

from collections.abc import Iterator

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from bot.runtime.installations import Installations
from bot.runtime.settings import Settings
from storage import agencies
from storage.db import Database
from storage.models import Staff
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import many_workspaces_settings


@pytest.fixture
def installations(database: Database, slack_api: SlackWebApiDouble) -> Iterator[Installations]:
    settings: Settings = many_workspaces_settings(database, slack_api)
    yield Installations(settings, database.acting_for(None))


def installation(**values: object) -> Installation:
    fields: dict[str, object] = dict(
        app_id="A0APP0001",
        user_id="UINSTALLA",
        bot_token="xoxb-agency-a",
        bot_id="B0BOT0001",
        bot_user_id="U0BOT0001",
    )
    fields.update(values)
    return Installation(**fields)  # type: ignore[arg-type]


def test_only_a_state_the_bot_signed_is_taken_and_only_once(installations: Installations) -> None:
    states = installations.state_store
    state = states.issue()
    issued, _, signature = state.rpartition(".")

    assert not states.consume(issued)
    assert not states.consume(f"{issued}.{'0' * len(signature)}")
    assert states.consume(state)
    assert not states.consume(state)


def test_an_agencys_bot_token_is_its_workspaces_until_it_is_uninstalled(
    installations: Installations,
) -> None:
    installations.store.save(installation(team_id="T0AGENCYA"))
    agency = installations.install(
        team_id="T0AGENCYA", enterprise_id=None, name="Agency A", installer="UINSTALLA"
    )

    assert installations.bot_token(agency) == "xoxb-agency-a"
    assert installations.bot_token(agencies.THE_AGENCY) is None

    installations.uninstall(team_id="T0AGENCYA", enterprise_id=None)
    assert installations.bot_token(agency) is None
    assert (
        installations.agency_of(
            team_id="T0AGENCYA", enterprise_id=None, is_enterprise_install=False
        )
        is None
    )


def test_a_workspace_of_an_org_wide_installation_becomes_an_agency_at_its_first_request(
    installations: Installations, database: Database
) -> None:
    installations.store.save(
        installation(enterprise_id="E0NETWORK", is_enterprise_install=True, user_id="UORGADMIN")
    )
    assert (
        installations.agency_of(
            team_id="T0MEMBER1", enterprise_id=None, is_enterprise_install=False
        )
        is None
    )

    agency = installations.agency_of(
        team_id="T0MEMBER1", enterprise_id="E0NETWORK", is_enterprise_install=True
    )

    assert agency is not None
    assert installations.bot_token(agency) == "xoxb-agency-a"
    with database.reading(agency=agency) as session:
        staff = session.execute(select(Staff.slack_user_id, Staff.role)).all()
    assert [tuple(row) for row in staff] == [("UORGADMIN", Role.ADMIN)]
