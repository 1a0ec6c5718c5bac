"""Consents on the card: the modal pushed on the card, saved, the card updated."""

import json

from sqlalchemy.orm import Session

from bot.slack.ids import CONSENT_FORM, CONSENT_RECORD
from storage.consents import consent_state
from storage.db import Database
from storage.models.enums import ConsentPurpose
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.person_form import press, submit
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"


def seed(database: Database) -> int:
    with database.transaction() as session:
        add_staff(session, ADVISOR)
        return add_person(session, "Testi", "Virtanen").id


def state(session: Session, person_id: int, purpose: ConsentPurpose) -> tuple[bool, bool]:
    view = consent_state(session=session, person_id=person_id, purpose=purpose)
    return view.given_on is not None, view.in_force


def open_consent_form(
    slack: SlackSender, slack_api: SlackWebApiDouble, person_id: int
) -> tuple[dict, dict]:
    press(slack, "person_open", str(person_id), user_id=ADVISOR)
    card = opened_view(slack_api)
    press(slack, CONSENT_RECORD, str(person_id), user_id=ADVISOR, in_view=card)
    return card, opened_view(slack_api, "views.push")


def test_an_advisor_records_a_withdrawal_and_the_card_shows_it(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database)
    card, form = open_consent_form(slack, slack_api, person_id)
    assert form["callback_id"] == CONSENT_FORM

    filled = {"purpose": "satisfaction_survey", "status": "given", "date": "2026-03-01"}
    assert submit(slack, form, filled, user_id=ADVISOR).status == 200
    filled |= {"status": "withdrawn", "date": "2026-04-02"}
    assert submit(slack, form, filled, user_id=ADVISOR).status == 200

    with database.reading() as session:
        assert state(session, person_id, ConsentPurpose.SATISFACTION_SURVEY) == (True, False)
    updated = [call.args for call in slack_api.calls_to("views.update")]
    assert updated and all(args["view_id"] == card["id"] for args in updated)
    shown = json.dumps(opened_view(slack_api, "views.update")["blocks"], ensure_ascii=False)
    assert "Asiakastyytyväisyyskysely" in shown
    assert (
        ":white_check_mark: Tallennettu: suostumus “Asiakastyytyväisyyskysely” peruutettu 2.4.2026."
        in shown
    )


def test_an_objection_to_marketing_shows_as_one(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database)
    _card, form = open_consent_form(slack, slack_api, person_id)
    filled = {"purpose": "marketing", "status": "withdrawn", "date": "2026-05-04"}
    submit(slack, form, filled, user_id=ADVISOR)
    shown = json.dumps(opened_view(slack_api, "views.update")["blocks"], ensure_ascii=False)
    assert "suoramarkkinointia" in shown


def test_a_form_without_purpose_answers_with_field_errors(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database)
    _card, form = open_consent_form(slack, slack_api, person_id)
    answer = submit(slack, form, {"date": "2026-05-04"}, user_id=ADVISOR).json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"purpose", "status"}
