"""Filling the meeting form as Slack sends it."""

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.models import Meeting
from storage.models.enums import Role
from tests.e2e.harness import (
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
