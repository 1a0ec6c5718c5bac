"""The person form keeps the register clean, through the HTTP endpoint and the Slack double:
the municipality offered from the register and saved in one spelling, and a date of birth
within 120 years."""

from typing import Any

from sqlalchemy import update

from storage.db import Database
from storage.models import Person, Staff
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import TEAM_ID, SlackSender
from tests.e2e.helpers.person_form import (
    ADVISOR,
    TESTI,
    add_person,
    add_staff,
    open_new_form,
    persons_named,
    submit,
    user,
)


def suggest(slack: SlackSender, view: dict[str, Any], action_id: str, typed: str) -> list[dict]:
    """What the select offers as the staff member types, as Slack asks for it."""
    reply = slack.interaction(
        {
            "type": "block_suggestion",
            "team": {"id": TEAM_ID, "domain": "agency"},
            "user": user(ADVISOR),
            "api_app_id": "A0TEST",
            "token": "legacy",
            "container": {"type": "view", "view_id": "V0PERSON"},
            "action_id": action_id,
            "block_id": action_id,
            "value": typed,
            "view": {"id": "V0PERSON", "type": "modal", "callback_id": view["callback_id"]},
        }
    )
    assert reply.status == 200
    options: list[dict] = reply.json()["options"]
    return options


def speaks_english(database: Database, user_id: str) -> None:
    with database.transaction() as session:
        session.execute(update(Staff).where(Staff.slack_user_id == user_id).values(language="en"))


def test_the_municipality_is_offered_from_the_register_and_saved_in_one_spelling(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    add_person(database, advisor, municipality="sankt petersburg")
    hidden = add_person(
        database, advisor, email="toinen@example.fi", phone_numbers=[], municipality="Pälkäneä"
    )
    with database.transaction() as session:
        session.execute(update(Person).where(Person.id == hidden).values(restricted=True))
    view = open_new_form(slack, slack_api, user_id=ADVISOR)
    municipality = next(b for b in view["blocks"] if b.get("block_id") == "municipality")
    assert municipality["element"]["type"] == "external_select"

    offered = suggest(slack, view, "municipality", "sankt")
    assert [(o["value"], o["text"]["text"]) for o in offered] == [
        ("Sankt Petersburg", "Sankt Petersburg"),
        ("Sankt", "Sankt (uusi)"),
    ]
    offered = suggest(slack, view, "municipality", "HÄMEENL")
    assert [o["value"] for o in offered] == ["Hämeenlinna", "Hämeenl"]
    # A restricted person's municipality is only stored: it is offered to no one.
    offered = suggest(slack, view, "municipality", "pälkäneä")
    assert [(o["value"], o["text"]["text"]) for o in offered] == [("Pälkäneä", "Pälkäneä (uusi)")]
    offered = suggest(slack, view, "municipality", "uusikylä")
    assert [(o["value"], o["text"]["text"]) for o in offered] == [("Uusikylä", "Uusikylä (uusi)")]

    answer = submit(slack, view, TESTI | {"municipality": "HÄMEENLINNA"}, user_id=ADVISOR).json()

    assert answer["response_action"] == "update"
    (person,) = persons_named(database, "Testi")
    assert person.municipality == "Hämeenlinna"


def test_a_date_of_birth_120_years_ago_is_refused_in_the_staff_members_language(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)

    answer = submit(slack, view, TESTI | {"birth_date": "1900-01-01"}, user_id=ADVISOR).json()

    assert answer == {
        "response_action": "errors",
        "errors": {"birth_date": "Syntymäajasta on oltava alle 120 vuotta; tarkista vuosi."},
    }
    speaks_english(database, ADVISOR)
    answer = submit(slack, view, TESTI | {"birth_date": "1900-01-01"}, user_id=ADVISOR).json()
    assert answer["errors"] == {
        "birth_date": "A date of birth must be less than 120 years ago; check the year."
    }
    assert persons_named(database, "Testi") == []
