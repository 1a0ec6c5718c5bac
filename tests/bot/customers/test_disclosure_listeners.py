"""Disclosures on the card: refused without the matching consent, with the reason on the form;
recorded with it, confirmed and listed on the card; refused, and audited, for a person
restricted meanwhile; the button only on a controller's card."""

import json
from datetime import date

from sqlalchemy import select

from bot.slack.ids import CONSENT_RECORD, DISCLOSURE_FORM, DISCLOSURE_RECORD
from storage.consents import record_consent
from storage.db import Database
from storage.models import AuditEvent, Disclosure, Person
from storage.models.enums import AuditOutcome, ConsentPurpose, LegalBasis, Role
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


def test_with_consent_the_disclosure_is_recorded_confirmed_and_listed_on_the_card(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database, consent=True)
    press(slack, "person_open", str(person_id), user_id=CONTROLLER)
    card = opened_view(slack_api)
    assert "Ei luovutuksia." in json.dumps(card["blocks"], ensure_ascii=False)
    press(slack, DISCLOSURE_RECORD, str(person_id), user_id=CONTROLLER, in_view=card)
    form = opened_view(slack_api, "views.push")

    answer = submit(slack, form, FILLED, user_id=CONTROLLER)

    assert answer.status == 200 and not answer.text  # the form closes onto the card
    (disclosure,) = disclosures(database)
    assert disclosure.recipient == "Esimerkki Rahoitus Oy"
    assert disclosure.legal_basis is LegalBasis.CONSENT and disclosure.consent_id is not None
    (update,) = slack_api.calls_to("views.update")
    assert update.args["view_id"] == card["id"]
    updated = opened_view(slack_api, "views.update")
    texts = [block["text"]["text"] for block in updated["blocks"] if block.get("text")]
    assert texts[1].startswith(
        ":white_check_mark: Tallennettu: luovutus vastaanottajalle *Esimerkki Rahoitus Oy* "
        "(rahoittaja), luovutetut tiedot: etunimi, sukunimi, sähköposti."
    )
    (listed,) = [text for text in texts if text.startswith("*Luovutukset*")]
    assert "*Esimerkki Rahoitus Oy* (rahoittaja): etunimi, sukunimi, sähköposti" in listed
    assert DISCLOSURE_RECORD in card_buttons(updated)


def test_a_person_restricted_meanwhile_is_not_disclosed_and_the_refusal_is_audited(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database, consent=True)
    form = open_form(slack, slack_api, person_id)
    with database.transaction() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.restricted = True

    answer = submit(slack, form, FILLED, user_id=CONTROLLER).json()

    assert answer["response_action"] == "errors"
    assert "rajoitettu (18 artikla)" in answer["errors"]["recipient_kind"]
    assert disclosures(database) == []
    with database.reading() as session:
        denied = session.execute(
            select(AuditEvent.actor, AuditEvent.person_id).where(
                AuditEvent.action == "person.disclose",
                AuditEvent.outcome == AuditOutcome.DENIED,
            )
        ).all()
    assert [tuple(row) for row in denied] == [(CONTROLLER, person_id)]


def test_an_advisors_card_has_consents_but_no_disclosure_button(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed(database, consent=False)
    press(slack, "person_open", str(person_id), user_id=ADVISOR)
    buttons = card_buttons(opened_view(slack_api))
    assert CONSENT_RECORD in buttons and DISCLOSURE_RECORD not in buttons
