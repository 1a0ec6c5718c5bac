"""One deployment with two workspaces installed through OAuth against the Web API double: the
fixtures (import them into a test module, as `__all__` there says), the install itself, and a
person of each agency's own."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.app import create_app
from bot.runtime.settings import Settings
from bot.runtime.web import create_wsgi_app
from storage import agencies
from storage.db import Database
from tests.doubles.slack_web_api import Grant, SlackWebApiDouble
from tests.e2e.harness import (
    ACK_BUDGET,
    RunningServer,
    SlackSender,
    many_workspaces_settings,
)
from tests.e2e.helpers.person_form import TESTI, open_new_form, submit

TEAM_A, TEAM_B = "T0AGENCYA", "T0AGENCYB"
INSTALLER_A, INSTALLER_B = "UINSTALLA", "UINSTALLB"
TOKEN_A, TOKEN_B = "xoxb-agency-a", "xoxb-agency-b"
KORHONEN = TESTI | {
    "last_name": "Korhonen",
    "email": "testi.korhonen@example.fi",
    "phone_numbers": "040 765 4321",
}


@dataclass
class Workspace:
    team_id: str
    installer: str
    token: str
    slack: SlackSender


@pytest.fixture
def settings(database: Database, slack_api: SlackWebApiDouble) -> Settings:
    return many_workspaces_settings(database, slack_api)


@pytest.fixture
def server(settings: Settings, database: Database) -> Iterator[RunningServer]:
    serving = database.acting_for(None)
    running = RunningServer(
        create_wsgi_app(create_app(settings, serving, ack_budget=ACK_BUDGET), serving)
    )
    yield running
    running.close()


def install(
    server: RunningServer, slack_api: SlackWebApiDouble, team_id: str, installer: str, token: str
) -> None:
    page = server.request("/slack/install")
    assert page.status == 200
    state = re.search(r"state=([^&\"']+)", page.text)
    assert state is not None
    cookie = page.headers["Set-Cookie"].split(";")[0]
    code = f"code-{team_id}-{len(slack_api.calls_to('oauth.v2.access'))}"
    slack_api.grant(code, Grant(team_id, f"Agency {team_id}", token, installer))
    done = server.request(
        f"/slack/oauth_redirect?code={code}&state={state.group(1)}", headers={"Cookie": cookie}
    )
    assert done.status == 200, done.text


@pytest.fixture
def workspaces(server: RunningServer, slack_api: SlackWebApiDouble) -> tuple[Workspace, Workspace]:
    installed: list[Workspace] = []
    for team_id, installer, token in (
        (TEAM_A, INSTALLER_A, TOKEN_A),
        (TEAM_B, INSTALLER_B, TOKEN_B),
    ):
        install(server, slack_api, team_id, installer, token)
        response_url = f"{slack_api.url}/response/{team_id}/1/abc"
        slack = SlackSender(server, response_url=response_url, team_id=team_id)
        slack._trigger = 1000 * len(installed)  # no trigger_id of one workspace's is another's
        installed.append(Workspace(team_id, installer, token, slack))
    return installed[0], installed[1]


def agency_of(database: Database, team_id: str) -> int | None:
    with database.reading(agency=None) as session:
        return agencies.agency_for_team(session=session, team_id=team_id)


def add_persons(workspaces: tuple[Workspace, Workspace], slack_api: SlackWebApiDouble) -> None:
    """Testi Virtanen in A, Testi Korhonen in B, each through its workspace's person form."""
    for workspace, person in zip(workspaces, (TESTI, KORHONEN), strict=True):
        view = open_new_form(workspace.slack, slack_api, user_id=workspace.installer)
        opened = slack_api.calls_to("views.open")[-1]
        assert opened.headers["authorization"] == f"Bearer {workspace.token}"
        saved = submit(workspace.slack, view, person, user_id=workspace.installer)
        assert saved.status == 200 and saved.json()["response_action"] == "update", saved.text


def hits_of(workspace: Workspace, text: str) -> str:
    """What `/asiakas text` answers the workspace's installer, as JSON text."""
    reply = workspace.slack.command("/asiakas", text, user_id=workspace.installer)
    assert reply.status == 200
    return json.dumps(reply.json(), ensure_ascii=False)
