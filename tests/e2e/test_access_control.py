"""Only active staff reach the register, each as far as their role allows."""

import json

from sqlalchemy import select

from storage.db import Database
from storage.models import AuditEvent, Staff
from storage.models.enums import AuditOutcome, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import ADMIN, SlackSender
from tests.e2e.helpers.roles import ADVISOR, CONTROLLER, grant

NOT_STAFF_FI = "Valitettavasti"


def denied_actions(database: Database, actor: str) -> list[str]:
    with database.transaction() as session:
        query = select(AuditEvent.action).where(
            AuditEvent.actor == actor, AuditEvent.outcome == AuditOutcome.DENIED
        )
        return list(session.scalars(query))


def test_an_unknown_user_gets_one_refusal_and_an_audit_row(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    reply = slack.command("/rekisteri", "henkilokunta", user_id="USTRANGER")

    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert reply.json()["text"].startswith(NOT_STAFF_FI)
    assert "blocks" not in reply.json()
    assert denied_actions(database, "USTRANGER") == ["access.not_staff"]
    assert [call.method for call in slack_api.calls if call.method != "auth.test"] == []


def test_an_unknown_user_opening_the_home_tab_sees_the_refusal(
    slack: SlackSender, slack_api: SlackWebApiDouble
) -> None:
    slack.event({"type": "app_home_opened", "user": "USTRANGER", "channel": "D1", "tab": "home"})

    (publish,) = slack_api.calls_to("views.publish")
    assert publish.args["user_id"] == "USTRANGER"
    assert NOT_STAFF_FI in json.dumps(publish.args["view"], ensure_ascii=False)


def test_an_inactive_user_is_refused(slack: SlackSender, database: Database) -> None:
    with database.transaction() as session:
        session.add(Staff(slack_user_id="UGONE", role=Role.CONTROLLER, active=False))

    reply = slack.command("/rekisteri", "tarkastus", user_id="UGONE")

    assert reply.json()["text"].startswith(NOT_STAFF_FI)
    assert denied_actions(database, "UGONE") == ["access.not_staff"]


def test_an_advisor_cannot_run_admin_commands(slack: SlackSender, database: Database) -> None:
    grant(slack, ADVISOR, "advisor")

    reply = slack.command("/rekisteri", f"lisaa <@{ADVISOR}> admin", user_id=ADVISOR)

    assert reply.json()["text"] == "Valitettavasti roolisi ei salli tätä."
    assert denied_actions(database, ADVISOR) == ["permission.staff:manage"]
    with database.transaction() as session:
        role = session.scalar(select(Staff.role).where(Staff.slack_user_id == ADVISOR))
    assert role is Role.ADVISOR


def test_a_revoked_role_takes_effect_on_the_next_request(slack: SlackSender) -> None:
    grant(slack, CONTROLLER, "controller")
    first = slack.command("/register", "verify", user_id=CONTROLLER).json()["text"]
    assert first.startswith("Lokiketju on ehjä")

    revoked = slack.command("/rekisteri", f"poista <@{CONTROLLER}>", user_id=ADMIN)
    assert "ei enää" in revoked.json()["text"]

    after = slack.command("/register", "verify", user_id=CONTROLLER).json()["text"]
    assert after.startswith(NOT_STAFF_FI)


def test_admins_list_staff_and_staff_choose_their_language(slack: SlackSender) -> None:
    grant(slack, ADVISOR, "neuvoja")

    listing = slack.command("/register", "staff", user_id=ADMIN).json()
    text = json.dumps(listing["blocks"], ensure_ascii=False)
    assert f"<@{ADVISOR}>: neuvoja" in text and f"<@{ADMIN}>: pääkäyttäjä" in text

    switched = slack.command("/register", "language en", user_id=ADVISOR).json()
    assert switched["text"] == "I will speak English with you from now on."
    refused = slack.command("/register", "staff", user_id=ADVISOR).json()
    assert refused["text"] == "Sorry, your role does not allow this."


def test_a_typed_error_becomes_a_message_in_the_staff_members_language(slack: SlackSender) -> None:
    usage = slack.command("/rekisteri", "lisaa someone", user_id=ADMIN).json()
    assert usage["response_type"] == "ephemeral"
    assert usage["text"].startswith("Käyttö: `/rekisteri lisaa @käyttäjä ROOLI`")

    last_admin = slack.command("/rekisteri", f"poista <@{ADMIN}>", user_id=ADMIN).json()
    assert "vähintään yksi" in last_admin["text"]
