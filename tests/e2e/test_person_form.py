"""New and edited persons, duplicates and the card, through the HTTP endpoint and the Slack
double, with forms filled by block id as Slack submits them."""

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from bot.slack.ids import PERSON_CARD, PERSON_FIELDS, PERSON_FORM, PERSON_SAVE_ANYWAY
from storage.db import Database
from storage.models import AuditEvent, Person, Staff
from storage.models.enums import AuditOutcome, LegalBasis, RelationshipKind, Role
from storage.persons import PersonFields, create_person
from storage.staff import StaffMember
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import STAFF_CHANNEL, TEAM_ID, Reply, SlackSender, opened_view

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"

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
        elif kind == "datepicker":
            state = {"type": kind, "selected_date": typed}
        elif kind == "checkboxes":
            chosen = [option for option in element["options"] if option["value"] in (typed or [])]
            state = {"type": kind, "selected_options": chosen}
        else:
            state = {"type": kind, "value": typed}
        values[block["block_id"]] = {action_id: state}
    return values


def user(user_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID}


def submit(
    slack: SlackSender, view: dict[str, Any], filled: dict[str, Any], *, user_id: str
) -> Reply:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "agency"},
        "user": user(user_id),
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
        "user": user(user_id),
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": slack.trigger_id(),
        "team": {"id": TEAM_ID, "domain": "agency"},
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


def actions_on(database: Database, person_id: int) -> list[str]:
    with database.transaction() as session:
        query = select(AuditEvent.action).where(AuditEvent.person_id == person_id)
        return list(session.scalars(query.order_by(AuditEvent.id)))


def test_new_opens_the_form_with_a_block_for_every_field(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)

    for command, word in (("/asiakas", "uusi"), ("/customer", "new")):
        reply = slack.command(command, word, user_id=ADVISOR)
        assert reply.status == 200
        view = opened_view(slack_api)
        assert view["callback_id"] == PERSON_FORM
        inputs = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
        assert inputs == list(PERSON_FIELDS)

    press(slack, "person_new", "", user_id=ADVISOR)
    assert len(slack_api.calls_to("views.open")) == 3


def test_a_filled_form_saves_the_person_and_becomes_their_card(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)

    reply = submit(slack, view, TESTI, user_id=ADVISOR)

    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == PERSON_CARD
    card = json.dumps(answer["view"], ensure_ascii=False)
    assert "Testi Virtanen" in card and "040 1234567" in card
    assert "Ylempi korkeakoulututkinto" in card
    (person,) = persons_named(database, "Testi")
    assert person.email == "testi.virtanen@example.fi"
    assert [phone.number for phone in person.phone_numbers] == ["+358401234567"]
    assert [(r.kind, r.legal_basis) for r in person.relationships] == [
        (RelationshipKind.CUSTOMER, LegalBasis.CONTRACT)
    ]
    assert actions_on(database, person.id) == ["person.create", "person.view"]
    buttons = next(b for b in answer["view"]["blocks"] if b["type"] == "actions")["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("person_edit", str(person.id)),
        ("meeting_log", str(person.id)),
        ("request_file", str(person.id)),
        ("consent_record", str(person.id)),
    ]


def test_validation_errors_land_on_their_blocks_and_nothing_is_saved(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)
    wrong = TESTI | {
        "email": "testi@",
        "phone_numbers": "040 123 4567, 123",
        "birth_date": "2999-01-01",
        "postal_code": "123",
        "legal_basis": None,
    }

    answer = submit(slack, view, wrong, user_id=ADVISOR).json()

    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {
        "email",
        "phone_numbers",
        "birth_date",
        "postal_code",
        "legal_basis",
    }
    assert answer["errors"]["birth_date"] == "Syntymäaika ei voi olla tulevaisuudessa."
    assert persons_named(database, "Testi") == []


def test_a_duplicate_is_shown_by_reference_with_its_card_and_can_be_saved_anyway(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    existing = add_person(database, advisor, first_name="<!channel>", email="testi@example.fi")
    view = open_new_form(slack, slack_api, user_id=ADVISOR)
    same_email = TESTI | {"email": "TESTI@example.fi"}

    answer = submit(slack, view, same_email, user_id=ADVISOR).json()

    assert answer["response_action"] == "update"
    warned = answer["view"]
    assert warned["callback_id"] == PERSON_FORM
    text = json.dumps(warned["blocks"])
    assert "channel" not in text and "Mallikas" not in text
    opens = [b["accessory"] for b in warned["blocks"] if b.get("accessory", {}).get("type")]
    assert [(b["action_id"], b["value"]) for b in opens] == [("person_open", str(existing))]
    kept = {b["block_id"]: b["element"] for b in warned["blocks"] if b["type"] == "input"}
    assert kept["first_name"]["initial_value"] == "Testi"
    assert kept["email"]["initial_value"] == "TESTI@example.fi"
    assert kept["legal_basis"]["initial_option"]["value"] == "contract"
    assert persons_named(database, "Testi") == []

    held = slack_api.calls_to("views.open")[-1].response
    assert held is not None
    warned_as_held = warned | {"id": held["view"]["id"], "hash": "1.abc"}
    press(slack, "person_open", str(existing), user_id=ADVISOR, in_view=warned_as_held)
    assert opened_view(slack_api, "views.push")["callback_id"] == PERSON_CARD

    anyway = same_email | {PERSON_SAVE_ANYWAY: ["yes"]}
    saved = submit(slack, warned_as_held, anyway, user_id=ADVISOR).json()
    assert saved["view"]["callback_id"] == PERSON_CARD
    assert len(persons_named(database, "Testi")) == 1


def test_an_edit_keeps_what_was_not_changed(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    person_id = add_person(database, advisor)
    press(slack, "person_edit", str(person_id), user_id=ADVISOR)
    form = opened_view(slack_api)
    inputs = {b["block_id"]: b["element"] for b in form["blocks"] if b["type"] == "input"}
    assert inputs["email"]["initial_value"] == "maija.mallikas@example.com"
    assert inputs["phone_numbers"]["initial_value"] == "050 1234567"
    assert inputs["birth_date"]["initial_date"] == "1985-03-01"
    assert inputs["relationship_kind"]["initial_option"]["value"] == "customer"
    with database.transaction() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.municipality = "Vantaa"  # another advisor's edit while this form was open

    as_opened = values_shown(form)
    answer = submit(slack, form, as_opened | {"postal_code": "02100"}, user_id=ADVISOR).json()

    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == PERSON_CARD
    (person,) = persons_named(database, "Maija")
    assert (person.postal_code, person.municipality) == ("02100", "Vantaa")
    assert person.email == "maija.mallikas@example.com"
    assert [p.number for p in person.phone_numbers] == ["+358501234567"]
    assert actions_on(database, person_id)[1:] == [
        "person.read_for_edit",
        "person.edit",
        "person.view",
    ]


def test_the_card_escapes_what_was_typed_and_edit_replaces_it(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    person_id = add_person(database, advisor, first_name="<!channel>", municipality="<@U123> & co")

    press(slack, "person_open", str(person_id), user_id=ADVISOR)

    card = opened_view(slack_api)
    text = json.dumps(card["blocks"], ensure_ascii=False)
    assert card["callback_id"] == PERSON_CARD
    assert "&lt;!channel&gt; Mallikas" in text and "&lt;@U123&gt; &amp; co" in text
    assert "<!channel>" not in text and "<@U123>" not in text
    assert "1.3.1985" in text and "050 1234567" in text

    press(slack, "person_edit", str(person_id), user_id=ADVISOR, in_view=card)
    (update,) = slack_api.calls_to("views.update")
    assert update.args["view_id"] == card["id"]
    assert update.args["view"]["callback_id"] == PERSON_FORM


def test_a_request_filed_from_the_card_has_the_person_chosen(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    person_id = add_person(database, advisor)
    press(slack, "person_open", str(person_id), user_id=ADVISOR)

    press(slack, "request_file", str(person_id), user_id=ADVISOR, in_view=opened_view(slack_api))

    form = opened_view(slack_api, "views.push")
    (person,) = [b for b in form["blocks"] if b.get("block_id") == "person_id"]
    assert form["callback_id"] == "request_form"
    assert person["element"]["initial_option"]["value"] == str(person_id)
    assert "request.form" in actions_on(database, person_id)


def test_an_advisor_cannot_open_a_restricted_persons_card(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    add_staff(database, CONTROLLER, Role.CONTROLLER)
    person_id = add_person(database, advisor)
    with database.transaction() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.restricted = True

    press(slack, "person_open", str(person_id), user_id=ADVISOR)
    press(slack, "person_edit", str(person_id), user_id=ADVISOR)

    assert slack_api.calls_to("views.open") == []
    replies = [call.args["text"] for call in slack_api.calls_to("response_url")]
    assert len(replies) == 2 and all("Maija" not in reply for reply in replies)
    with database.transaction() as session:
        refused = session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.person_id == person_id, AuditEvent.outcome == AuditOutcome.DENIED
            )
        ).all()
    assert refused == ["person.view_restricted", "person.view_restricted"]

    press(slack, "person_open", str(person_id), user_id=CONTROLLER)
    assert opened_view(slack_api)["callback_id"] == PERSON_CARD


def test_an_edit_warns_of_someone_else_but_not_of_itself(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    person_id = add_person(database, advisor)
    other_id = add_person(
        database, advisor, first_name="Testi", email="testi@example.fi", phone_numbers=[]
    )
    press(slack, "person_edit", str(person_id), user_id=ADVISOR)
    form = opened_view(slack_api)
    as_opened = values_shown(form)

    retyped = submit(slack, form, as_opened | {"first_name": "MAIJA"}, user_id=ADVISOR).json()
    clash = submit(slack, form, as_opened | {"email": "testi@example.fi"}, user_id=ADVISOR).json()

    assert retyped["view"]["callback_id"] == PERSON_CARD
    assert clash["view"]["callback_id"] == PERSON_FORM
    opens = [b["accessory"]["value"] for b in clash["view"]["blocks"] if "accessory" in b]
    assert opens == [str(other_id)]


def test_a_saved_person_is_found_and_their_card_opens_from_the_hit_list(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    submit(slack, open_new_form(slack, slack_api, user_id=ADVISOR), TESTI, user_id=ADVISOR)
    (person,) = persons_named(database, "Testi")

    hits = slack.command("/asiakas", "virtanen", user_id=ADVISOR).json()
    buttons = [
        element
        for block in hits["blocks"]
        for element in [*block.get("elements", []), block.get("accessory") or {}]
        if element.get("action_id") in ("person_open", "person_edit")
    ]
    assert {(b["action_id"], b["value"]) for b in buttons} == {
        ("person_open", str(person.id)),
        ("person_edit", str(person.id)),
    }

    press(slack, "person_open", str(person.id), user_id=ADVISOR)
    assert opened_view(slack_api)["private_metadata"] == str(person.id)
