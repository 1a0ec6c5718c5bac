"""Disclosures on the card: refused without the matching consent, with the reason
on the form; recorded with it; the button only on a controller's card."""

from datetime import date

from sqlalchemy import select

from bot.slack.ids import CONSENT_RECORD, DISCLOSURE_FORM, DISCLOSURE_RECORD
from storage.consents import record_consent
from storage.db import Database
from storage.models import Disclosure
from storage.models.enums import ConsentPurpose, LegalBasis, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.person_form import press, submit
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"
FILLED = {
    "recipient": "Esimerkki Rahoitus Oy",
    "recipient_kind": "financier",
    "categories": ["first_name", "last_name", "email"],
}


def seed(database: Database, *, consent: bool) -> int:
    with database.transaction() as session:
        add_staff(session, ADVISOR)
        controller = add_staff(session, CONTROLLER, Role.CONTROLLER)
        person_id = add_person(session, "Testi", "Virtanen").id
        if consent:
            record_consent(
                session=session,
                actor=controller,
                person_id=person_id,
                purpose=ConsentPurpose.DISCLOSURE_FINANCIERS,
                given=True,
                on=date(2026, 1, 15),
            )
        return person_id


def card_buttons(card: dict) -> list[str]:
    return [
        element["action_id"]
        for block in card["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def open_form(slack: SlackSender, slack_api: SlackWebApiDouble, person_id: int) -> dict:
    press(slack, "person_open", str(person_id), user_id=CONTROLLER)
    card = opened_view(slack_api)
    press(slack, DISCLOSURE_RECORD, str(person_id), user_id=CONTROLLER, in_view=card)
    form = opened_view(slack_api, "views.push")
    assert form["callback_id"] == DISCLOSURE_FORM
    return form


def disclosures(database: Database) -> list[Disclosure]:
    with database.reading() as session:
        return list(session.scalars(select(Disclosure)))


def test_without_consent_the_form_says_why_and_nothing_is_recorded(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database, consent=False)
    answer = submit(slack, open_form(slack, slack_api, person_id), FILLED, user_id=CONTROLLER)
    body = answer.json()
    assert body["response_action"] == "errors"
    assert "Luovutus rahoittajille" in body["errors"]["recipient_kind"]
    assert disclosures(database) == []


def test_with_consent_the_disclosure_is_recorded_on_it(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database, consent=True)
    answer = submit(slack, open_form(slack, slack_api, person_id), FILLED, user_id=CONTROLLER)
    assert answer.status == 200 and not answer.text
    (disclosure,) = disclosures(database)
    assert disclosure.recipient == "Esimerkki Rahoitus Oy"
    assert disclosure.legal_basis is LegalBasis.CONSENT and disclosure.consent_id is not None


def test_an_advisors_card_has_consents_but_no_disclosure_button(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database, consent=False)
    press(slack, "person_open", str(person_id), user_id=ADVISOR)
    buttons = card_buttons(opened_view(slack_api))
    assert CONSENT_RECORD in buttons and DISCLOSURE_RECORD not in buttons
