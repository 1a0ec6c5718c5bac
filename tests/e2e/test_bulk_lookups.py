"""Bulk look-ups (OWASP ASVS V8.1.4): a staff member who opens many cards in a short time is
reported to every active controller by direct message, once per window, naming the staff
member and the count but no person."""

import pytest
from sqlalchemy import select

from bot.runtime.settings import Settings
from storage.db import Database
from storage.models import AuditEvent, Person
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, make_settings
from tests.e2e.helpers.person_form import press
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
OTHER_ADVISOR = "UADVISOR2"
CONTROLLER = "UCONTROL1"
CONTROLLER_EN = "UCONTROL2"
THRESHOLD = 3


@pytest.fixture
def settings(database: Database, slack_api: SlackWebApiDouble) -> Settings:
    return make_settings(database, slack_api, bulk_lookup_threshold=THRESHOLD)


@pytest.fixture
def person_ids(database: Database) -> list[int]:
    with database.transaction() as session:
        add_staff(session, ADVISOR)
        add_staff(session, OTHER_ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        add_staff(session, CONTROLLER_EN, Role.CONTROLLER, language="en")
        return [add_person(session, "Testi", f"Henkilö{n}").id for n in range(6)]


def dms(slack_api: SlackWebApiDouble) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {}
    for call in slack_api.calls_to("chat.postMessage"):
        sent.setdefault(call.args["channel"], []).append(call.args["text"])
    return sent


def reports(database: Database) -> list[tuple[str, int | None]]:
    with database.reading() as session:
        query = select(AuditEvent.actor, AuditEvent.person_id).where(
            AuditEvent.action == "staff.bulk_lookup"
        )
        return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def test_crossing_the_threshold_is_reported_once_to_each_controller(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, person_ids: list[int]
) -> None:
    for person_id in person_ids[: THRESHOLD - 1]:
        press(slack, "person_open", str(person_id), user_id=ADVISOR)
    assert dms(slack_api) == {}

    for person_id in person_ids[THRESHOLD - 1 :]:
        press(slack, "person_open", str(person_id), user_id=ADVISOR)

    sent = dms(slack_api)
    assert set(sent) == {CONTROLLER, CONTROLLER_EN}
    (finnish,) = sent[CONTROLLER]
    (english,) = sent[CONTROLLER_EN]
    assert f"<@{ADVISOR}>" in english and f"opened {THRESHOLD} person cards" in english
    assert "within 10 min" in english
    assert f"<@{ADVISOR}>" in finnish and f"{THRESHOLD} henkilökorttia" in finnish
    with database.reading() as session:
        shown = list(session.execute(select(Person.last_name, Person.reference)))
    for text in (finnish, english):
        for last_name, reference in shown:
            assert last_name not in text and reference not in text
    assert reports(database) == [(ADVISOR, None)]


def test_each_staff_member_is_counted_on_their_own(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, person_ids: list[int]
) -> None:
    for person_id in person_ids[: THRESHOLD - 1]:
        press(slack, "person_open", str(person_id), user_id=ADVISOR)
        press(slack, "person_open", str(person_id), user_id=OTHER_ADVISOR)

    assert dms(slack_api) == {}
    assert reports(database) == []
