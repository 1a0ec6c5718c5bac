"""`/asiakas`: help, and a search whose hit list is seen by the asker alone and logged."""

import json
from datetime import UTC, datetime
from typing import Any

from storage.db import Database
from storage.models import Meeting
from storage.models.enums import MeetingKind, Role
from tests import people
from tests.doubles.slack_web_api import RESPONSE_URL, SlackWebApiDouble
from tests.e2e.harness import ADMIN, SlackSender
from tests.e2e.helpers.audit import search_audit
from tests.e2e.helpers.person_form import press

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"


def add_staff(database: Database, user_id: str, role: Role, language: str | None = None) -> None:
    with database.transaction() as session:
        people.add_staff(session, user_id, role, language)


def add_person(database: Database, first: str, last: str, **fields: Any) -> int:
    with database.transaction() as session:
        return people.add_person(session, first, last, **fields).id


def blocks_text(reply: dict[str, object]) -> str:
    return json.dumps(reply.get("blocks", []), ensure_ascii=False)


def test_empty_text_gives_help_with_a_button_for_a_new_person(slack: SlackSender) -> None:
    reply = slack.command("/asiakas", "", user_id=ADMIN).json()

    assert reply["response_type"] == "ephemeral"
    assert "`/asiakas uusi`" in blocks_text(reply)
    buttons = [
        element["action_id"]
        for block in reply["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert buttons == ["person_new"]


def test_a_search_lists_hits_with_their_buttons_and_logs_the_ids_it_showed(
    slack: SlackSender, database: Database
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    first = add_person(database, "Testi", "Virtanen", municipality="Tampere")
    second = add_person(database, "Maija", "Virtanen", municipality="Esimerkkilä")
    add_person(database, "Matti", "Mallikas")
    with database.transaction() as session:
        session.add(
            Meeting(
                person_id=first,
                occurred_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
                kind=MeetingKind.MEETING,
                idempotency_key="k1",
            )
        )

    reply = slack.command("/asiakas", "virtanen", user_id=ADVISOR).json()

    assert reply["response_type"] == "ephemeral"
    text = blocks_text(reply)
    assert "Testi Virtanen" in text and "Maija Virtanen" in text and "Mallikas" not in text
    assert "Tampere" in text and "<!date^" in text and "ei vielä tapaamisia" in text
    actions = [block for block in reply["blocks"] if block["type"] == "actions"]
    assert {block["elements"][0]["value"] for block in actions} == {str(first), str(second)}
    assert [element["action_id"] for element in actions[0]["elements"]] == [
        "person_open",
        "person_edit",
        "meeting_log",
    ]
    logged = search_audit(database, ADVISOR)
    assert sorted(person_id for person_id, _ in logged) == sorted([first, second])
    assert {purpose for _, purpose in logged} == {"customer_service"}


def test_more_than_ten_hits_say_how_many_more_and_to_refine(
    slack: SlackSender, database: Database
) -> None:
    for n in range(13):
        add_person(database, f"Testi{n:02d}", "Korhonen")

    reply = slack.command("/customer", "korhonen", user_id=ADMIN).json()

    assert len(hit_ids(reply)) == 10
    assert "3 muuta" in blocks_text(reply)
    assert len(search_audit(database, ADMIN)) == 10


def test_the_next_page_replaces_the_list_with_the_following_hits_and_logs_them(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    for n in range(23):
        add_person(database, f"Testi{n:02d}", "Korhonen")
    first = slack.command("/asiakas", "korhonen", user_id=ADVISOR).json()
    assert page_buttons(first) == {"Seuraava sivu": 1}

    pages = [first]
    for to in (1, 2):
        press(slack, "hit_list_page", page_value(pages[-1], to), user_id=ADVISOR)
        assert slack_api.wait_for(RESPONSE_URL, count=to)
        answer = slack_api.calls_to(RESPONSE_URL)[-1].args
        assert answer["replace_original"] is True and answer["response_type"] == "ephemeral"
        pages.append(answer)

    shown = [hit_ids(page) for page in pages]
    assert [len(ids) for ids in shown] == [10, 10, 3]
    assert len({person_id for ids in shown for person_id in ids}) == 23
    assert page_buttons(pages[1]) == {"Edellinen sivu": 0, "Seuraava sivu": 2}
    assert page_buttons(pages[2]) == {"Edellinen sivu": 1}
    assert "sivu 3" in blocks_text(pages[2])
    logged = [person_id for person_id, _ in search_audit(database, ADVISOR)]
    assert logged == [person_id for ids in shown for person_id in ids]


def test_a_forged_page_button_is_refused(slack: SlackSender, slack_api: SlackWebApiDouble) -> None:
    press(slack, "hit_list_page", '{"query": "korhonen", "page": -1}', user_id=ADMIN)

    assert slack_api.wait_for(RESPONSE_URL)
    assert "sivuun" in slack_api.calls_to(RESPONSE_URL)[-1].args["text"]


def hit_ids(reply: dict[str, Any]) -> list[int]:
    return [
        int(block["elements"][0]["value"])
        for block in reply["blocks"]
        if block["type"] == "actions" and block["block_id"] != "hit_list_page"
    ]


def page_buttons(reply: dict[str, Any]) -> dict[str, int]:
    return {
        element["text"]["text"]: json.loads(element["value"])["page"]
        for block in reply["blocks"]
        if block.get("block_id") == "hit_list_page"
        for element in block["elements"]
    }


def page_value(reply: dict[str, Any], to: int) -> str:
    (value,) = [
        element["value"]
        for block in reply["blocks"]
        if block.get("block_id") == "hit_list_page"
        for element in block["elements"]
        if json.loads(element["value"])["page"] == to
    ]
    return str(value)


def test_e_mail_and_phone_in_any_common_format_find_the_person(
    slack: SlackSender, database: Database
) -> None:
    person = add_person(
        database,
        "Testi",
        "Puhelinnen",
        email="testi.puhelinnen@example.com",
        phone_numbers=("+358401234567",),
    )

    for query in ("Testi.Puhelinnen@example.com", "040 123 4567", "+358 40 1234567"):
        reply = slack.command("/asiakas", query, user_id=ADMIN).json()
        values = [
            block["elements"][0]["value"] for block in reply["blocks"] if block["type"] == "actions"
        ]
        assert str(person) in values, query


def test_restricted_persons_never_appear_to_advisors(
    slack: SlackSender, database: Database
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    add_staff(database, CONTROLLER, Role.CONTROLLER)
    add_person(database, "Testi", "Rajoitettu", restricted=True)

    advisor = slack.command("/asiakas", "rajoitettu", user_id=ADVISOR).json()
    controller = slack.command("/asiakas", "rajoitettu", user_id=CONTROLLER).json()

    assert "Testi Rajoitettu" not in blocks_text(advisor)
    assert not [
        block for block in advisor["blocks"] if block.get("block_id", "").startswith("hit_")
    ]
    assert "Testi Rajoitettu" in blocks_text(controller)


def test_a_typed_name_is_echoed_escaped(slack: SlackSender, database: Database) -> None:
    add_person(database, "<!channel>", "Kanavanen")

    reply = slack.command("/asiakas", "kanavanen <!here>", user_id=ADMIN).json()
    text = blocks_text(reply)

    assert "<!channel>" not in text and "<!here>" not in text
    assert "&lt;!channel&gt;" in text or "&lt;!here&gt;" in text


def test_a_query_too_short_and_no_match_are_explained_in_english(
    slack: SlackSender, database: Database
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR, language="en")

    short = slack.command("/customer", "v", user_id=ADVISOR).json()
    none = slack.command("/customer", "nobodyhere", user_id=ADVISOR).json()

    assert short["text"] == "Type at least 2 characters to search."
    assert "No one in the register matches “nobodyhere”" in blocks_text(none)
    assert search_audit(database, ADVISOR) == []


def test_a_search_past_the_caps_is_refused_with_a_message(
    slack: SlackSender, database: Database
) -> None:
    add_person(database, "Testi", "Virtanen")

    for text in ("virtanen " * 120, "a" * 4000, "testi maija virtanen mallikas x y z"):
        reply = slack.command("/asiakas", text, user_id=ADMIN).json()

        assert reply["response_type"] == "ephemeral"
        assert reply["text"] == "Haku on liian pitkä: enintään 100 merkkiä ja 6 sanaa."
    assert search_audit(database, ADMIN) == []
