"""Lifting a restriction from the card: the person must be told first (the button's
confirmation says so); once lifted, the card says so, lists the recipients to tell, and offers
meetings and disclosures again."""

from datetime import date

from sqlalchemy import select

from bot.slack.ids import DISCLOSURE_RECORD, MEETING_LOG, RESTRICTION_LIFT
from storage import restriction
from storage.consents import record_consent
from storage.db import Database
from storage.disclosures import record_disclosure
from storage.models import AuditEvent, Person
from storage.models.enums import ConsentPurpose, RecipientKind, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.person_form import press
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"


def restricted_after_a_disclosure(database: Database) -> int:
    with database.transaction() as session:
        add_staff(session, ADVISOR)
        controller = add_staff(session, CONTROLLER, Role.CONTROLLER)
        person_id = add_person(session, "Testi", "Virtanen").id
        record_consent(
            session=session,
            actor=controller,
            person_id=person_id,
            purpose=ConsentPurpose.DISCLOSURE_FINANCIERS,
            given=True,
            on=date(2026, 1, 15),
        )
        record_disclosure(
            session=session,
            actor=controller,
            person_id=person_id,
            recipient="Esimerkki Rahoitus Oy",
            recipient_kind=RecipientKind.FINANCIER,
            categories=["first_name", "email"],
        )
        restriction.restrict(
            session=session,
            actor=controller,
            person_id=person_id,
            reason="Tietojen paikkansapitävyys kiistetty",
            request_id=None,
        )
        return person_id


def buttons(card: dict) -> dict[str, dict]:
    return {
        element["action_id"]: element
        for block in card["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def test_lifting_is_confirmed_on_the_card_with_the_recipients_to_tell(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = restricted_after_a_disclosure(database)
    press(slack, "person_open", str(person_id), user_id=CONTROLLER)
    card = opened_view(slack_api)
    shown = buttons(card)
    assert MEETING_LOG not in shown and DISCLOSURE_RECORD not in shown
    confirm = shown[RESTRICTION_LIFT]["confirm"]["text"]["text"]
    assert confirm.startswith("Ilmoita henkilölle ennen rajoituksen poistamista")

    press(slack, RESTRICTION_LIFT, str(person_id), user_id=CONTROLLER, in_view=card)

    (update,) = slack_api.calls_to("views.update")
    assert update.args["view_id"] == card["id"]
    updated = opened_view(slack_api, "views.update")
    texts = [block["text"]["text"] for block in updated["blocks"] if block.get("text")]
    assert texts[1] == (
        ":white_check_mark: Rajoitus poistettu: henkilön tietoja käsitellään taas, ja neuvojat "
        "löytävät hänet."
    )
    assert texts[2].startswith("Ilmoita näille vastaanottajille (19 artikla):")
    assert "*Esimerkki Rahoitus Oy* (etunimi, sähköposti)" in texts[2]
    assert RESTRICTION_LIFT not in buttons(updated)
    assert {MEETING_LOG, DISCLOSURE_RECORD} <= set(buttons(updated))
    with database.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None and not person.restricted
        lifted = session.scalars(
            select(AuditEvent.actor).where(AuditEvent.action == "person.restriction_lift")
        ).all()
    assert lifted == [CONTROLLER]

    press(slack, "person_open", str(person_id), user_id=ADVISOR)
    assert opened_view(slack_api)["callback_id"] == "person_card"


def test_a_second_press_on_a_stale_card_changes_nothing_and_says_why(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = restricted_after_a_disclosure(database)
    press(slack, "person_open", str(person_id), user_id=CONTROLLER)
    card = opened_view(slack_api)
    press(slack, RESTRICTION_LIFT, str(person_id), user_id=CONTROLLER, in_view=card)

    press(slack, RESTRICTION_LIFT, str(person_id), user_id=CONTROLLER, in_view=card)

    assert len(slack_api.calls_to("views.update")) == 1
    (notice,) = slack_api.calls_to("chat.postMessage")
    assert notice.args["channel"] == CONTROLLER
    assert notice.args["text"] == "Sitä ei voi tehdä tietueen nykyisessä tilassa."
