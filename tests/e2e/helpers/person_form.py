"""Filling and pressing the person form as Slack sends it, and the people it saves."""

from datetime import date
from typing import Any

from sqlalchemy import select

from storage.db import Database
from storage.models import Person, Staff
from storage.models.enums import LegalBasis, RelationshipKind, Role
from storage.persons import PersonFields, create_person
from storage.staff import StaffMember
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import STAFF_CHANNEL, TEAM_ID, Reply, SlackSender, opened_view

ADVISOR = "UADVISOR1"
TESTI = {
    "first_name": "Testi",
    "last_name": "Virtanen",
    "email": "Testi.Virtanen@example.fi",
    "phone_numbers": "040 123 4567",
    "street_address": "Esimerkkikatu 1",
    "postal_code": "00100",
    "post_office": "Helsinki",
    "municipality": "Helsinki",
    "nationality": "FI",
    "gender": "other",
    "birth_date": "1990-05-17",
    "education": "master",
    "source": "person",
    "relationship_kind": "customer",
    "legal_basis": "contract",
}


def add_staff(database: Database, user_id: str, role: Role) -> StaffMember:
    with database.transaction() as session:
        row = Staff(slack_user_id=user_id, role=role)
        session.add(row)
        session.flush()
        return StaffMember.of(row)


def add_person(database: Database, actor: StaffMember, **overrides: Any) -> int:
    values: dict[str, Any] = dict(
        first_name="Maija",
        last_name="Mallikas",
        email="maija.mallikas@example.com",
        phone_numbers=["+358501234567"],
        municipality="Espoo",
        birth_date=date(1985, 3, 1),
    )
    values.update(overrides)
    with database.transaction() as session:
        return create_person(
            session=session,
            actor=actor,
            fields=PersonFields(**values),
            relationship_kind=RelationshipKind.CUSTOMER,
            legal_basis=LegalBasis.CONTRACT,
        ).id


def state_of(view: dict[str, Any], filled: dict[str, Any]) -> dict[str, Any]:
    """`view.state.values` as Slack builds it from what was typed into each input block."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        action_id, kind = element["action_id"], element["type"]
        typed = filled.get(block["block_id"])
        if kind == "static_select":
            options = element.get("options") or [
                option for group in element["option_groups"] for option in group["options"]
            ]
            chosen = [option for option in options if option["value"] == typed]
            state = {"type": kind, "selected_option": chosen[0] if chosen else None}
        elif kind == "external_select":
            chosen = {"text": {"type": "plain_text", "text": typed}, "value": typed}
            state = {"type": kind, "selected_option": chosen if typed else None}
        elif kind == "datepicker":
            state = {"type": kind, "selected_date": typed}
        elif kind == "checkboxes":
            chosen = [option for option in element["options"] if option["value"] in (typed or [])]
            state = {"type": kind, "selected_options": chosen}
        else:
            state = {"type": kind, "value": typed}
        values[block["block_id"]] = {action_id: state}
    return values


def user(user_id: str, team_id: str = TEAM_ID) -> dict[str, str]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}


def submit(
    slack: SlackSender, view: dict[str, Any], filled: dict[str, Any], *, user_id: str
) -> Reply:
    payload = {
        "type": "view_submission",
        "team": {"id": slack.team_id, "domain": "agency"},
        "user": user(user_id, slack.team_id),
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": slack.trigger_id(),
        "view": view | {"state": {"values": state_of(view, filled)}},
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return slack.interaction(payload)


def press(
    slack: SlackSender,
    action_id: str,
    value: str,
    *,
    user_id: str,
    in_view: dict[str, Any] | None = None,
) -> Reply:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": user(user_id, slack.team_id),
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": slack.trigger_id(),
        "team": {"id": slack.team_id, "domain": "agency"},
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "type": "button",
                "text": {"type": "plain_text", "text": "x"},
                "action_ts": "1700000000.000100",
            }
        ],
    }
    if in_view is None:
        payload["container"] = {
            "type": "message",
            "message_ts": "1700000000.000100",
            "channel_id": STAFF_CHANNEL,
            "is_ephemeral": True,
        }
        payload["channel"] = {"id": STAFF_CHANNEL, "name": "staff"}
        payload["response_url"] = slack.response_url
    else:
        payload["container"] = {"type": "view", "view_id": in_view["id"]}
        payload["view"] = in_view
    return slack.interaction(payload)


def values_shown(form: dict[str, Any]) -> dict[str, Any]:
    """What a form shows when it opens, as its submission would carry it untouched."""
    inputs = [block for block in form["blocks"] if block["type"] == "input"]
    return {
        block["block_id"]: block["element"].get("initial_value")
        or block["element"].get("initial_date")
        or (block["element"].get("initial_option") or {}).get("value")
        for block in inputs
    }


def open_new_form(slack: SlackSender, slack_api: SlackWebApiDouble, *, user_id: str) -> dict:
    reply = slack.command("/asiakas", "uusi", user_id=user_id)
    assert reply.status == 200
    return opened_view(slack_api)


def persons_named(database: Database, first_name: str) -> list[Person]:
    with database.transaction() as session:
        query = select(Person).where(Person.first_name == first_name).order_by(Person.id)
        found = list(session.scalars(query))
        for person in found:
            _ = person.phone_numbers, person.relationships
        return found
