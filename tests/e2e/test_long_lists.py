"""Years of history through Slack, end to end: a card with dozens of consents shows the latest
and pages through the rest; the staff list pages; a number a hundred persons share warns
without a refused view; an edit of a person with the most phone numbers opens; an erasure with
more recipients than a modal lists sends the whole list to the contact person as a file."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.models.views import View
from sqlalchemy import select

from bot.requests.recipients import RECIPIENTS_SHOWN
from bot.slack.ids import (
    CARD_LIST,
    CARD_LIST_OPEN,
    CARD_LIST_PAGE,
    DUPLICATES_OPEN,
    DUPLICATES_PAGE,
    HOME_PAGE,
    PERSON_FORM,
    STAFF_PAGE,
)
from storage import staff as staff_store
from storage.db import Database
from storage.models import Consent, Disclosure, Person, PhoneNumber
from storage.models.enums import ConsentPurpose, LegalBasis, RecipientKind, RequestKind, Role
from tests import people
from tests.bot.helpers.block_kit_limits import blocks_problems, view_problems
from tests.bot.helpers.worst_case import longest_phone_numbers
from tests.doubles.slack_web_api import RESPONSE_URL, SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.data_subject_requests import agency_today
from tests.e2e.helpers.person_form import TESTI, open_new_form, press, submit
from tests.e2e.helpers.uploads import uploads_when_done
from tests.e2e.helpers.verified_requests import CONTROLLER, file_request, fulfil

ADVISOR = "UADVISOR1"
ADMIN = "UADMIN1"
CONSENTS = 48
SHARED_PHONE = "+358401234567"


def buttons(view: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    found = []
    for block in view["blocks"]:
        elements = [*block.get("elements", []), block.get("accessory") or {}]
        found += [e for e in elements if e.get("action_id") == action_id]
    return found


def limits_of(view: dict[str, Any]) -> list[str]:
    shown = {k: v for k, v in view.items() if k not in ("id", "hash", "state", "team_id")}
    return view_problems(View(**shown))


def seed_consents(database: Database) -> int:
    with database.transaction() as session:
        people.add_staff(session, ADVISOR)
        person = people.add_person(session, "Testi", "Suostuja")
        start = datetime(2020, 1, 1, tzinfo=UTC)
        purposes = list(ConsentPurpose)
        for i in range(CONSENTS):
            given = start + timedelta(days=30 * i)
            session.add(
                Consent(
                    person_id=person.id,
                    purpose=purposes[i % len(purposes)],
                    given_at=given,
                    withdrawn_at=given + timedelta(days=10) if i % 2 else None,
                )
            )
        return person.id


def test_a_card_with_years_of_consents_pages_through_them_all(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    person_id = seed_consents(database)
    press(slack, "person_open", str(person_id), user_id=ADVISOR)
    card = opened_view(slack_api)
    assert limits_of(card) == []
    (show_all,) = buttons(card, CARD_LIST_OPEN)
    assert show_all["value"] == f"consents:{person_id}:0"
    assert f"({CONSENTS})" in show_all["text"]["text"]

    press(slack, CARD_LIST_OPEN, show_all["value"], user_id=ADVISOR, in_view=card)
    first = opened_view(slack_api, "views.push")
    assert first["callback_id"] == CARD_LIST
    assert limits_of(first) == []
    assert f"1–40 / {CONSENTS}" in json.dumps(first, ensure_ascii=False)
    assert buttons(first, CARD_LIST_PAGE)[0]["text"]["text"] == "Seuraava sivu"

    (following,) = buttons(first, CARD_LIST_PAGE)
    press(slack, CARD_LIST_PAGE, following["value"], user_id=ADVISOR, in_view=first)
    updated = slack_api.calls_to("views.update")[-1].args
    assert updated["view_id"] == first["id"]
    second = opened_view(slack_api, "views.update")
    assert limits_of(second) == []
    shown = json.dumps(second, ensure_ascii=False)
    assert f"41–{CONSENTS} / {CONSENTS}" in shown
    assert "1.1.2020" in shown  # the earliest consent, last in the list
    assert [b["text"]["text"] for b in buttons(second, CARD_LIST_PAGE)] == ["Edellinen sivu"]


def test_the_staff_list_pages_through_a_large_agency(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        people.add_staff(session, ADMIN, Role.ADMIN)
        for i in range(124):
            people.add_staff(session, f"USTAFF{i:04d}")

    listing = slack.command("/rekisteri", "henkilokunta", user_id=ADMIN).json()
    assert blocks_problems(listing["blocks"], 50, "/blocks") == []
    with database.reading() as session:
        total = len(staff_store.list_all(session=session))
    assert total > 120
    assert f"1–40 / {total}" in json.dumps(listing, ensure_ascii=False)
    (following,) = buttons(listing, STAFF_PAGE)

    press(slack, STAFF_PAGE, following["value"], user_id=ADMIN)
    answered = slack_api.calls_to(RESPONSE_URL)[-1].args
    assert answered["replace_original"] is True
    assert blocks_problems(answered["blocks"], 50, "/blocks") == []
    shown = json.dumps(answered["blocks"], ensure_ascii=False)
    assert f"41–80 / {total}" in shown
    assert {b["text"]["text"] for b in buttons(answered, STAFF_PAGE)} == {
        "Edellinen sivu",
        "Seuraava sivu",
    }


def test_a_switchboard_number_a_hundred_share_warns_within_a_modal(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        people.add_staff(session, ADVISOR)
        for _ in range(100):
            people.add_person(session, "Vaihde", "Yritys", phone_numbers=(SHARED_PHONE,))
    form = open_new_form(slack, slack_api, user_id=ADVISOR)

    answer = submit(slack, form, TESTI | {"phone_numbers": "040 123 4567"}, user_id=ADVISOR).json()

    warned = answer["view"]
    assert warned["callback_id"] == PERSON_FORM
    assert limits_of(warned) == []
    assert "Lisäksi 90 muulla henkilöllä" in json.dumps(warned, ensure_ascii=False)
    assert len(buttons(warned, "person_open")) == 10
    (show_all,) = buttons(warned, DUPLICATES_OPEN)

    held = slack_api.calls_to("views.open")[-1].response
    assert held is not None
    warned_as_held = warned | {"id": held["view"]["id"], "hash": "1.abc"}
    press(slack, DUPLICATES_OPEN, show_all["value"], user_id=ADVISOR, in_view=warned_as_held)
    first = opened_view(slack_api, "views.push")
    assert limits_of(first) == []
    assert len(buttons(first, "person_open")) == 20
    assert "1–20 / 100" in json.dumps(first, ensure_ascii=False)

    for _ in range(4):  # to the fifth page
        (following,) = [
            b for b in buttons(first, DUPLICATES_PAGE) if b["text"]["text"] == "Seuraava sivu"
        ]
        press(slack, DUPLICATES_PAGE, following["value"], user_id=ADVISOR, in_view=first)
        assert slack_api.calls_to("views.update")[-1].args["view_id"] == first["id"]
        first = opened_view(slack_api, "views.update") | {"id": first["id"]}
        assert limits_of(first) == []
    shown = json.dumps(first, ensure_ascii=False)
    assert "81–100 / 100" in shown
    opened = {b["value"] for b in buttons(first, "person_open")}
    assert len(opened) == 20
    with database.reading() as session:
        last = session.scalars(select(Person.id).order_by(Person.id.desc()).limit(20)).all()
    assert opened == {str(person_id) for person_id in last}


def test_a_person_with_the_most_phone_numbers_opens_in_the_edit_form(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        people.add_staff(session, ADVISOR)
        person = people.add_person(session, "Monta", "Numeroa")
        person.phone_numbers = [PhoneNumber(number=n) for n in longest_phone_numbers()]
        person_id = person.id
    press(slack, "person_edit", str(person_id), user_id=ADVISOR)
    form = opened_view(slack_api)
    assert limits_of(form) == []
    with database.reading() as session:
        stored = session.get(Person, person_id)
        assert stored is not None and len(stored.phone_numbers) == len(longest_phone_numbers())


def test_an_erasure_past_the_recipients_a_modal_shows_sends_them_all_as_a_file(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    request_id, person_id = file_request(database, RequestKind.ERASURE)
    many = RECIPIENTS_SHOWN + 25
    with database.transaction() as session:
        for i in range(many):
            session.add(
                Disclosure(
                    person_id=person_id,
                    recipient=f"Esimerkkirahoitus <&> {i}",
                    recipient_kind=RecipientKind.FINANCIER,
                    categories=["first_name", "email"],
                    legal_basis=LegalBasis.CONSENT,
                )
            )
    fulfil(slack, request_id)
    confirmation = opened_view(slack_api)
    assert limits_of(confirmation) == []
    assert "muuta: koko luettelo" in json.dumps(confirmation, ensure_ascii=False)

    done = submit(slack, confirmation, {}, user_id=CONTROLLER).json()["view"]

    assert limits_of(done) == []
    (upload,) = uploads_when_done(slack_api, 1)
    rows = upload.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + many + 2  # the header, these, and the two the fixture made
    assert "Esimerkkirahoitus <&> 39" in upload.content.decode("utf-8-sig")
    assert upload.filename.endswith("-recipients.csv")


def test_a_card_shows_the_latest_meetings_and_opens_them_all(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        advisor = people.add_staff(session, ADVISOR)
        person = people.add_person(session, "Testi", "Tapaaja")
        start = datetime(2020, 1, 6, 9, tzinfo=UTC)
        for i in range(25):
            people.add_meeting(
                session, person, advisor, start + timedelta(days=7 * i), topic=f"Aihe {i}"
            )
        person_id = person.id
    press(slack, "person_open", str(person_id), user_id=ADVISOR)
    card = opened_view(slack_api)
    assert limits_of(card) == []
    opens = [b for b in buttons(card, CARD_LIST_OPEN) if b["value"].startswith("meetings:")]
    assert [b["text"]["text"] for b in opens] == ["Näytä kaikki (25)"]
    assert "Ja 15 muuta." in json.dumps(card, ensure_ascii=False)

    press(slack, CARD_LIST_OPEN, opens[0]["value"], user_id=ADVISOR, in_view=card)
    every = opened_view(slack_api, "views.push")
    shown = json.dumps(every, ensure_ascii=False)
    assert limits_of(every) == []
    assert all(f"*Aihe {i}*" in shown for i in range(25))
    assert buttons(every, CARD_LIST_PAGE) == []


def test_the_home_tab_pages_through_a_busy_fortnight_of_follow_ups(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        advisor = people.add_staff(session, ADVISOR)
        person = people.add_person(session, "Testi", "Seurattava")
        for i in range(45):
            people.add_meeting(
                session,
                person,
                advisor,
                datetime(2026, 1, 1, tzinfo=UTC),
                follow_up_on=agency_today() + timedelta(days=i % 14),
                topic=f"Seuranta {i}",
            )
    slack.event({"type": "app_home_opened", "user": ADVISOR, "channel": "D1", "tab": "home"})
    home = slack_api.calls_to("views.publish")[-1].args["view"]
    assert blocks_problems(home["blocks"], 100, "/blocks") == []
    assert "1–20 / 45" in json.dumps(home, ensure_ascii=False)
    (following,) = buttons(home, HOME_PAGE)

    press(slack, HOME_PAGE, following["value"], user_id=ADVISOR, in_view=home | {"id": "VHOME"})
    second = slack_api.calls_to("views.publish")[-1].args
    assert second["user_id"] == ADVISOR
    shown = json.dumps(second["view"], ensure_ascii=False)
    assert "21–40 / 45" in shown
    assert {b["text"]["text"] for b in buttons(second["view"], HOME_PAGE)} == {
        "Edellinen sivu",
        "Seuraava sivu",
    }
