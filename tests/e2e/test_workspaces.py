"""One deployment, two workspaces installed through OAuth against the Web API double: each
agency has its own admin and persons, sees only its own, and goes on alone when the other
removes the bot."""

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import Agency, AuditEvent, Person, Staff
from storage.models.enums import AuditOutcome, Role
from tests.doubles.slack_web_api import Call, Grant, SlackWebApiDouble
from tests.e2e.harness import RunningServer, SlackSender
from tests.e2e.helpers.person_form import open_new_form, press
from tests.e2e.workspaces import (
    INSTALLER_A,
    INSTALLER_B,
    TEAM_A,
    TEAM_B,
    TOKEN_A,
    Workspace,
    add_persons,
    agency_of,
    hits_of,
    install,
    server,
    settings,
    workspaces,
)

__all__ = ["server", "settings", "workspaces"]  # the fixtures


def calls_after(slack_api: SlackWebApiDouble, count: int) -> list[Call]:
    return slack_api.calls[count:]


def said(calls: list[Call]) -> list[tuple[str, Any]]:
    return [(call.method, call.args.get("text")) for call in calls]


def test_each_installer_is_the_admin_of_an_agency_of_their_own(
    workspaces: tuple[Workspace, Workspace], database: Database, slack_api: SlackWebApiDouble
) -> None:
    agency_a, agency_b = agency_of(database, TEAM_A), agency_of(database, TEAM_B)
    assert agency_a is not None and agency_b is not None and agency_a != agency_b
    for agency, installer in ((agency_a, INSTALLER_A), (agency_b, INSTALLER_B)):
        with database.reading(agency=agency) as session:
            staff = session.execute(select(Staff.slack_user_id, Staff.role)).all()
        assert [tuple(row) for row in staff] == [(installer, Role.ADMIN)]
    exchanges = slack_api.calls_to("oauth.v2.access")
    assert [call.args["code"] for call in exchanges] == [f"code-{TEAM_A}-0", f"code-{TEAM_B}-1"]
    assert slack_api.violations == []


def test_each_workspace_saves_its_persons_in_its_own_register_with_its_own_token(
    workspaces: tuple[Workspace, Workspace], slack_api: SlackWebApiDouble, database: Database
) -> None:
    add_persons(workspaces, slack_api)
    for team_id, last_name in ((TEAM_A, "Virtanen"), (TEAM_B, "Korhonen")):
        with database.reading(agency=agency_of(database, team_id)) as session:
            assert session.scalars(select(Person.last_name)).all() == [last_name]
    assert slack_api.violations == []


def test_each_workspace_finds_only_its_own_persons(
    workspaces: tuple[Workspace, Workspace], slack_api: SlackWebApiDouble
) -> None:
    add_persons(workspaces, slack_api)
    a, b = workspaces
    in_a, in_b = hits_of(a, "testi"), hits_of(b, "testi")
    assert "Virtanen" in in_a and "Korhonen" not in in_a
    assert "Korhonen" in in_b and "Virtanen" not in in_b


def test_a_button_naming_the_other_agencys_person_is_refused_like_a_missing_one(
    workspaces: tuple[Workspace, Workspace], slack_api: SlackWebApiDouble, database: Database
) -> None:
    b = workspaces[1]
    add_persons(workspaces, slack_api)
    with database.reading(agency=agency_of(database, TEAM_A)) as session:
        (person_of_a,) = session.scalars(select(Person.id)).all()

    before = len(slack_api.calls)
    press(b.slack, "person_open", str(person_of_a), user_id=b.installer)
    forged = calls_after(slack_api, before)
    before = len(slack_api.calls)
    press(b.slack, "person_open", str(person_of_a + 1000), user_id=b.installer)
    missing = calls_after(slack_api, before)

    assert said(forged) == said(missing) and forged
    assert "Virtanen" not in json.dumps([call.args for call in forged], ensure_ascii=False)
    with database.reading(agency=agency_of(database, TEAM_B)) as session:
        refused = session.execute(
            select(AuditEvent.actor, AuditEvent.outcome).where(
                AuditEvent.action == "person.not_found"
            )
        ).all()
    assert [tuple(row) for row in refused] == [(b.installer, AuditOutcome.DENIED)] * 2
    with database.reading(agency=agency_of(database, TEAM_A)) as session:
        assert (
            session.scalars(
                select(AuditEvent.id).where(AuditEvent.action == "person.not_found")
            ).all()
            == []
        )


def test_uninstalling_one_leaves_the_other_working_and_a_reinstall_brings_it_back(
    workspaces: tuple[Workspace, Workspace],
    server: RunningServer,
    slack_api: SlackWebApiDouble,
    database: Database,
) -> None:
    a, b = workspaces
    agency_a = agency_of(database, TEAM_A)

    assert a.slack.event({"type": "app_uninstalled"}).status == 200

    assert agency_of(database, TEAM_A) is None
    refused = a.slack.command("/asiakas", "testi", user_id=a.installer)
    assert (refused.status, refused.body) == (200, b"")
    assert '"response_type": "ephemeral"' in hits_of(b, "testi")
    with database.reading(agency=None) as session:
        (uninstalled_at,) = session.scalars(
            select(Agency.uninstalled_at).where(Agency.id == agency_a)
        ).all()
    assert uninstalled_at is not None

    install(server, slack_api, TEAM_A, a.installer, "xoxb-agency-a-again")
    assert agency_of(database, TEAM_A) == agency_a
    view = open_new_form(a.slack, slack_api, user_id=a.installer)
    assert view["callback_id"]
    opened = slack_api.calls_to("views.open")[-1]
    assert opened.headers["authorization"] == "Bearer xoxb-agency-a-again"
    assert slack_api.violations == []


def test_the_install_pages_answer_get_only(server: RunningServer) -> None:
    for path in ("/slack/install", "/slack/oauth_redirect"):
        assert server.request(path, body=b"x=1").status == 405


def test_a_redirect_without_the_state_the_bot_signed_installs_nothing(
    server: RunningServer, slack_api: SlackWebApiDouble, database: Database
) -> None:
    page = server.request("/slack/install")
    cookie_name = page.headers["Set-Cookie"].split("=")[0]
    slack_api.grant("code-forged", Grant(TEAM_A, "Agency A", TOKEN_A, INSTALLER_A))
    forged = "0" * 36 + "." + "0" * 64  # the same in the cookie: only its signature is wrong

    refused = server.request(
        f"/slack/oauth_redirect?code=code-forged&state={forged}",
        headers={"Cookie": f"{cookie_name}={forged}"},
    )

    assert refused.status >= 400
    assert slack_api.calls_to("oauth.v2.access") == []
    assert agency_of(database, TEAM_A) is None


def test_a_workspace_without_the_bot_is_refused_quietly_and_logged_by_its_team_alone(
    workspaces: tuple[Workspace, Workspace],
    server: RunningServer,
    slack_api: SlackWebApiDouble,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    stranger = SlackSender(server, response_url=slack_api.url + "/response/T0STRANGE/1/abc")
    stranger.team_id = "T0STRANGE"
    before = len(slack_api.calls)

    refused = stranger.command("/asiakas", "testi", user_id="USTRANGER")

    assert (refused.status, refused.body) == (200, b"")
    assert slack_api.calls[before:] == []
    refusals = [r.getMessage() for r in caplog.records if "not installed" in r.getMessage()]
    assert refusals and all("T0STRANGE" in line for line in refusals)
    assert "USTRANGER" not in caplog.text and "testi" not in caplog.text


def test_a_revoked_bot_token_uninstalls_the_workspace_as_a_removal_does(
    workspaces: tuple[Workspace, Workspace], database: Database
) -> None:
    a, b = workspaces
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT0001"]}}

    assert b.slack.event(revoked).status == 200

    assert agency_of(database, TEAM_B) is None and agency_of(database, TEAM_A) is not None
    refused = b.slack.command("/asiakas", "testi", user_id=b.installer)
    assert (refused.status, refused.body) == (200, b"")
    assert a.slack.command("/asiakas", "testi", user_id=a.installer).body
