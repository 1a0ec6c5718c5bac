"""New and edited persons, duplicates and the card, through the HTTP endpoint and the Slack
double, with forms filled by block id as Slack submits them."""

import json

from sqlalchemy import select

from bot.slack.ids import PERSON_CARD, PERSON_FIELDS, PERSON_FORM, PERSON_SAVE_ANYWAY
from storage.db import Database
from storage.models import AuditEvent, Person
from storage.models.enums import AuditOutcome, LegalBasis, RelationshipKind, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.person_form import (
    ADVISOR,
    TESTI,
    add_person,
    add_staff,
    open_new_form,
    persons_named,
    press,
    submit,
    values_shown,
)

CONTROLLER = "UCONTROL1"


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
    person_id = add_person(database, advisor, first_name="<!channel>", municipality="<@U123> & Co")

    press(slack, "person_open", str(person_id), user_id=ADVISOR)

    card = opened_view(slack_api)
    text = json.dumps(card["blocks"], ensure_ascii=False)
    assert card["callback_id"] == PERSON_CARD
    assert "&lt;!channel&gt; Mallikas" in text and "&lt;@U123&gt; &amp; Co" in text
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


def test_a_duplicate_an_edit_saved_anyway_stays_accepted_and_no_edit_is_a_new_person(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    advisor = add_staff(database, ADVISOR, Role.ADVISOR)
    original_id = add_person(database, advisor, email="testi@example.fi", phone_numbers=[])
    edited_id = add_person(database, advisor, first_name="Testi", phone_numbers=[])

    def edit(person_id: int, changes: dict[str, object]) -> dict:
        press(slack, "person_edit", str(person_id), user_id=ADVISOR)
        form = opened_view(slack_api)
        answer = submit(slack, form, values_shown(form) | changes, user_id=ADVISOR).json()
        return dict(answer["view"]) | {"id": form["id"], "hash": "1.abc"}

    warned = edit(edited_id, {"email": "testi@example.fi"})
    assert warned["callback_id"] == PERSON_FORM
    text = json.dumps(warned["blocks"], ensure_ascii=False)
    assert "new person" not in text and "uutena" not in text
    assert "Rekisterissä on toinen henkilö" in text and "tallenna muutokset" in text
    anyway = values_shown(warned) | {"email": "testi@example.fi", PERSON_SAVE_ANYWAY: ["yes"]}
    saved = submit(slack, warned, anyway, user_id=ADVISOR).json()
    assert saved["view"]["callback_id"] == PERSON_CARD

    # Neither person's next edit warns of the other again.
    assert edit(original_id, {"first_name": "Maija-Liisa"})["callback_id"] == PERSON_CARD
    assert edit(edited_id, {"first_name": "Testi-Tapio"})["callback_id"] == PERSON_CARD
    assert actions_on(database, original_id).count("person.duplicate_shown") == 1


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
