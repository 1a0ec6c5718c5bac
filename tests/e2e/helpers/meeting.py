"""Filling the meeting form as Slack sends it."""

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.models import Meeting
from storage.models.enums import Role
from tests.e2e.harness import (
    STAFF_CHANNEL,
    TEAM_ID,
    Reply,
    SlackSender,
)
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"


@pytest.fixture
def people(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        maija = add_person(session, "Maija", "Mallikas", municipality="Espoo")
        testi = add_person(session, "Testi", "Virtanen")
        toinen = add_person(session, "Toinen", "Virtanen")
        channel = add_person(session, "<!channel>", "Kokeilu")
        hidden = add_person(session, "Salainen", "Rajoitettu", restricted=True)
        return {
            "maija": maija.id,
            "testi": testi.id,
            "toinen": toinen.id,
            "channel": channel.id,
            "hidden": hidden.id,
        }


def form_values(
    person_id: int | None,
    *,
    occurred_at: int | None = None,
    duration: str | None = "45",
    kind: str | None = "phone",
    topic: str | None = "Rahoitus",
    notes: str | None = None,
    follow_up_on: str | None = None,
) -> dict[str, Any]:
    def selected(value: str | None) -> dict[str, Any] | None:
        return {"text": {"type": "plain_text", "text": "x"}, "value": value} if value else None

    values = {
        "person_id": {"type": "external_select", "selected_option": selected(str(person_id))},
        "occurred_at": {
            "type": "datetimepicker",
            "selected_date_time": occurred_at or int(time.time()) - 3600,
        },
        "duration_minutes": {"type": "number_input", "value": duration},
        "kind": {"type": "static_select", "selected_option": selected(kind)},
        "topic": {"type": "plain_text_input", "value": topic},
        "notes": {"type": "plain_text_input", "value": notes},
        "follow_up_on": {"type": "datepicker", "selected_date": follow_up_on},
    }
    if person_id is None:
        values["person_id"]["selected_option"] = None
    return {name: {name: element} for name, element in values.items()}


def submit(
    slack: SlackSender, view: dict[str, Any], values: dict[str, Any], user_id: str = ADVISOR
) -> Reply:
    submitted = {
        "id": "V0MEETING",
        "team_id": TEAM_ID,
        "type": "modal",
        "callback_id": view["callback_id"],
        "private_metadata": view["private_metadata"],
        "blocks": view["blocks"],
        "state": {"values": values},
        "hash": "1700000000.abc",
        "root_view_id": "V0MEETING",
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


def meeting_count(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(Meeting)) or 0


def press_meeting_log(
    slack: SlackSender, person_id: int, *, in_modal: bool = False, user_id: str = ADVISOR
) -> Reply:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "agency"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": slack.trigger_id(),
        "actions": [
            {
                "action_id": "meeting_log",
                "block_id": "hit",
                "value": str(person_id),
                "type": "button",
                "text": {"type": "plain_text", "text": "Kirjaa tapaaminen"},
                "action_ts": str(time.time()),
            }
        ],
    }
    if in_modal:
        payload["container"] = {"type": "view", "view_id": "V0CARD"}
        payload["view"] = {
            "id": "V0CARD",
            "type": "modal",
            "callback_id": "person_card",
            "private_metadata": "",
            "state": {"values": {}},
            "blocks": [],
        }
    else:
        payload["container"] = {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": STAFF_CHANNEL,
            "is_ephemeral": True,
        }
        payload["channel"] = {"id": STAFF_CHANNEL, "name": "staff"}
        payload["response_url"] = slack.response_url
    return slack.interaction(payload)
