"""Filing and working data-subject requests as Slack sends them."""

import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from storage.db import Database
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import TEAM_ID, Reply, SlackSender
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"
CONTROLLER_EN = "UCONTROL2"
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def people(database: Database) -> dict[str, Any]:
    with database.transaction() as session:
        add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        add_staff(session, CONTROLLER_EN, Role.CONTROLLER, language="en")
        maija = add_person(session, "Maija", "Mallikas", email="maija.mallikas@example.fi")
        return {"maija": maija.id, "reference": maija.reference}


def agency_today() -> date:
    return datetime.now(HELSINKI).date()


def selected(value: str | None) -> dict[str, Any] | None:
    return {"text": {"type": "plain_text", "text": "x"}, "value": value} if value else None


def request_values(
    person_id: int | None,
    *,
    kind: str = "access",
    requester_name: str | None = None,
    received_on: str | None = None,
    language: str = "fi",
    file_anyway: bool = False,
) -> dict[str, Any]:
    """The filing form's state; `file_anyway` ticks the box the form shows with a warning."""
    values = {
        "kind": {"type": "static_select", "selected_option": selected(kind)},
        "person_id": {
            "type": "external_select",
            "selected_option": selected(str(person_id) if person_id else None),
        },
        "requester_name": {"type": "plain_text_input", "value": requester_name},
        "requester_contact": {"type": "plain_text_input", "value": None},
        "channel": {"type": "static_select", "selected_option": selected("email")},
        "received_on": {
            "type": "datepicker",
            "selected_date": received_on or agency_today().isoformat(),
        },
        "language": {"type": "static_select", "selected_option": selected(language)},
        "details": {"type": "plain_text_input", "value": "Pyytää kopion tiedoistaan."},
    }
    if file_anyway:
        values["file_anyway"] = {
            "type": "checkboxes",
            "selected_options": [{"value": "yes", "text": {"type": "plain_text", "text": "x"}}],
        }
    return {name: {name: element} for name, element in values.items()}


def submit(slack: SlackSender, view: dict[str, Any], values: dict[str, Any], user_id: str) -> Reply:
    submitted = {
        "id": view["id"],
        "team_id": TEAM_ID,
        "type": "modal",
        "callback_id": view["callback_id"],
        "private_metadata": view["private_metadata"],
        "blocks": view["blocks"],
        "state": {"values": values},
        "hash": "1700000000.abc",
        "root_view_id": view["id"],
        "previous_view_id": None,
        "app_id": "A0TEST",
    }
    return slack.interaction(
        {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": "agency"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
            "api_app_id": "A0TEST",
            "token": "legacy",
            "trigger_id": slack.trigger_id(),
            "view": submitted,
            "response_urls": [],
        }
    )


def alert_of(slack_api: SlackWebApiDouble, user_id: str) -> dict[str, Any]:
    (post,) = [c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == user_id]
    assert post.response is not None
    return post.response


def press(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    action_id: str,
    request_id: int,
    user_id: str = CONTROLLER,
) -> Reply:
    alert = alert_of(slack_api, user_id) if user_id != ADVISOR else alert_of(slack_api, CONTROLLER)
    return slack.interaction(
        {
            "type": "block_actions",
            "team": {"id": TEAM_ID, "domain": "agency"},
            "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
            "api_app_id": "A0TEST",
            "token": "legacy",
            "trigger_id": slack.trigger_id(),
            "container": {
                "type": "message",
                "message_ts": alert["ts"],
                "channel_id": alert["channel"],
                "is_ephemeral": False,
            },
            "channel": {"id": alert["channel"], "name": "directmessage"},
            "message": alert["message"],
            "response_url": slack.response_url,
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "request_actions",
                    "value": str(request_id),
                    "type": "button",
                    "text": {"type": "plain_text", "text": action_id},
                    "action_ts": str(time.time()),
                }
            ],
        }
    )
