"""The person form's duplicate warning: a match is shown by public reference only and audited
as a duplicate check; a restricted match is never shown to an advisor, the save goes on, and
the register's contact persons are told by direct message, by public references only."""

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.slack.ids import PERSON_CARD, PERSON_FORM, PERSON_SAVE_ANYWAY
from storage.db import Database
from storage.models import AuditEvent, Person
from storage.models.enums import Role
from tests import people
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.person_form import TESTI, add_person, open_new_form, press, submit

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"
CONTROLLER_EN = "UCONTROL2"
# The existing person's data, none of which may reach the advisor's warning or a notice.
EXISTING = {
    "first_name": "Maija",
    "last_name": "Mallikas",
    "email": "maija.mallikas@example.com",
    "phone_numbers": ["+358501234567"],
}
PERSONAL = ("Maija", "Mallikas", "maija.mallikas", "1234567", "Testi", "Virtanen")


@pytest.fixture
def staff(database: Database) -> dict[str, Any]:
    with database.transaction() as session:
        return {
            "advisor": people.add_staff(session, ADVISOR),
            "controller": people.add_staff(session, CONTROLLER, Role.CONTROLLER),
            "controller_en": people.add_staff(session, CONTROLLER_EN, Role.CONTROLLER, "en"),
        }


def restrict(database: Database, person_id: int) -> str:
    with database.transaction() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.restricted = True
        return person.reference


def reference_of(database: Database, person_id: int) -> str:
    with database.reading() as session:
        return session.scalars(select(Person.reference).where(Person.id == person_id)).one()


def audited(database: Database, person_id: int) -> list[tuple[str, str, str | None]]:
    with database.reading() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.purpose)
            .where(AuditEvent.person_id == person_id)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def dms(slack_api: SlackWebApiDouble) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {}
    for call in slack_api.calls_to("chat.postMessage"):
        sent.setdefault(call.args["channel"], []).append(call.args["text"])
    return sent


def newest_person_id(database: Database) -> int:
    with database.reading() as session:
        return session.scalars(select(Person.id).order_by(Person.id.desc()).limit(1)).one()


def test_an_advisor_is_warned_by_reference_only_and_the_warning_is_audited(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, staff: dict[str, Any]
) -> None:
    existing = add_person(database, staff["advisor"], **EXISTING)
    reference = reference_of(database, existing)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)

    answer = submit(slack, view, TESTI | {"email": EXISTING["email"]}, user_id=ADVISOR).json()

    warned = answer["view"]
    assert warned["callback_id"] == PERSON_FORM
    warning = [b for b in warned["blocks"] if b["type"] == "section"]
    shown = json.dumps(warning, ensure_ascii=False)
    assert f"Henkilöllä *{reference}* on sama sähköposti" in shown
    for personal in PERSONAL:
        assert personal not in shown
    opens = [b["accessory"] for b in warning if "accessory" in b]
    assert [(b["action_id"], b["value"]) for b in opens] == [("person_open", str(existing))]
    assert (ADVISOR, "person.duplicate_shown", "duplicate_check") in audited(database, existing)

    held = slack_api.calls_to("views.open")[-1].response
    assert held is not None
    warned_as_held = warned | {"id": held["view"]["id"], "hash": "1.abc"}
    press(slack, "person_open", str(existing), user_id=ADVISOR, in_view=warned_as_held)
    assert opened_view(slack_api, "views.push")["callback_id"] == PERSON_CARD
    assert (ADVISOR, "person.view", "customer_service") in audited(database, existing)


def test_a_restricted_match_is_not_shown_the_save_goes_on_and_the_controllers_are_told(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, staff: dict[str, Any]
) -> None:
    existing = add_person(database, staff["advisor"], **EXISTING)
    restricted = restrict(database, existing)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)

    answer = submit(slack, view, TESTI | {"email": EXISTING["email"]}, user_id=ADVISOR).json()

    assert answer["view"]["callback_id"] == PERSON_CARD
    assert restricted not in json.dumps(answer["view"])
    created = newest_person_id(database)
    new_reference = reference_of(database, created)
    sent = dms(slack_api)
    assert set(sent) == {CONTROLLER, CONTROLLER_EN}
    (finnish,) = sent[CONTROLLER]
    (english,) = sent[CONTROLLER_EN]
    for text in (finnish, english):
        assert new_reference in text and restricted in text and f"<@{ADVISOR}>" in text
        for personal in PERSONAL:
            assert personal not in text
    assert "same e-mail as the restricted person" in english
    assert "kuin rajoitetulla henkilöllä" in finnish
    assert (ADVISOR, "person.duplicate_restricted", "duplicate_check") in audited(
        database, existing
    )
    assert "person.duplicate_shown" not in [action for _, action, _ in audited(database, existing)]


def test_beside_a_visible_match_the_restricted_one_is_not_named_and_told_once_saved(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, staff: dict[str, Any]
) -> None:
    hidden = add_person(database, staff["advisor"], **EXISTING)
    restricted = restrict(database, hidden)
    visible = add_person(
        database, staff["advisor"], first_name="Toinen", email="toinen@example.com"
    )
    view = open_new_form(slack, slack_api, user_id=ADVISOR)
    filled = TESTI | {"email": EXISTING["email"], "phone_numbers": "050 1234567"}

    warned = submit(slack, view, filled, user_id=ADVISOR).json()["view"]

    assert warned["callback_id"] == PERSON_FORM
    shown = json.dumps(warned, ensure_ascii=False)
    assert reference_of(database, visible) in shown and restricted not in shown
    assert str(hidden) not in [b.get("accessory", {}).get("value") for b in warned["blocks"]]
    assert dms(slack_api) == {}

    held = slack_api.calls_to("views.open")[-1].response
    assert held is not None
    warned_as_held = warned | {"id": held["view"]["id"], "hash": "1.abc"}
    anyway = filled | {PERSON_SAVE_ANYWAY: ["yes"]}
    saved = submit(slack, warned_as_held, anyway, user_id=ADVISOR).json()

    assert saved["view"]["callback_id"] == PERSON_CARD
    sent = dms(slack_api)
    assert set(sent) == {CONTROLLER, CONTROLLER_EN}
    assert all(restricted in texts[0] for texts in sent.values())


def test_a_controller_is_warned_of_a_restricted_match_and_nobody_is_messaged(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, staff: dict[str, Any]
) -> None:
    existing = add_person(database, staff["advisor"], **EXISTING)
    restricted = restrict(database, existing)
    view = open_new_form(slack, slack_api, user_id=CONTROLLER)

    answer = submit(slack, view, TESTI | {"email": EXISTING["email"]}, user_id=CONTROLLER).json()

    assert answer["view"]["callback_id"] == PERSON_FORM
    assert restricted in json.dumps(answer["view"])
    assert dms(slack_api) == {}
