"""PostgreSQL: the whole bot works as a role that owns nothing (a member of register_app)."""

from collections.abc import Iterator

import pytest

from bot.app import create_app
from bot.jobs import JOBS
from bot.jobs.runner import run_job
from bot.runtime.slack_client import build_web_client
from bot.runtime.web import create_wsgi_app
from storage import staff
from storage.db import Database
from storage.erasure import erase
from storage.models.enums import Role
from tests.databases import APP_ROLE, CHAIN_KEY, as_role, login_role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import ADMIN, RunningServer, SlackSender, make_settings
from tests.e2e.helpers.roles import ADVISOR, CONTROLLER, grant
from tests.people import add_person


@pytest.fixture
def as_bot(backend: str, database: Database) -> Iterator[Database]:
    if backend != "postgresql":
        pytest.skip("SQLite has no roles")
    with login_role(member_of=APP_ROLE) as role:
        bot = Database(as_role(database.url, role), audit_chain_key=CHAIN_KEY)
        yield bot
        bot.dispose()


def test_commands_and_every_job_run_as_the_bots_role(
    as_bot: Database, slack_api: SlackWebApiDouble
) -> None:
    settings = make_settings(as_bot, slack_api)
    with as_bot.transaction() as session:
        staff.ensure_admins(session=session, slack_user_ids=settings.admin_user_ids)
        controller = staff.grant(
            session=session,
            actor=staff.list_all(session=session)[0],
            slack_user_id="UERASER",
            role=Role.CONTROLLER,
        )
        erase(
            session=session,
            actor=controller,
            person_id=add_person(session, "Testi", "Poistettava").id,
            request_id=None,
        )
        add_person(session, "Testi", "Virtanen")
    server = RunningServer(create_wsgi_app(create_app(settings, as_bot), as_bot))
    slack = SlackSender(server, response_url=slack_api.url + "/response/T0TEST/1/abc")
    try:
        grant(slack, CONTROLLER, "yhteyshenkilo")
        grant(slack, ADVISOR, "neuvoja")
        found = slack.command("/asiakas", "virtanen", user_id=ADVISOR)
        revoked = slack.command("/rekisteri", f"poista <@{ADVISOR}>", user_id=ADMIN)
        verified = slack.command("/rekisteri", "tarkastus", user_id=CONTROLLER)
    finally:
        server.close()
    client = build_web_client(settings)
    outcomes = [run_job(name, database=as_bot, client=client, settings=settings) for name in JOBS]

    assert "Virtanen" in found.text
    assert "ei enää" in revoked.json()["text"]
    assert verified.json()["text"].startswith("Lokiketju on ehjä")
    assert all(outcome.ran for outcome in outcomes)
