"""The `retention-review` job end to end: its channel post (references only, never a name or
an e-mail), the `retention_review` button for a controller and an advisor, and the decisions."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.jobs.runner import JobOutcome, run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage.db import Database
from storage.models import AuditEvent, AuditEventPerson, Erasure, Person
from storage.models.enums import RelationshipKind, Role
from tests.doubles.slack_web_api import RESPONSE_URL, SlackWebApiDouble
from tests.e2e.harness import STAFF_CHANNEL, TEAM_ID, SlackSender, make_settings, opened_view
from tests.e2e.helpers.person_form import press, state_of, user
from tests.ledger import ledger_lines
from tests.people import add_person, add_staff
from tests.personal_data import fill_every_table

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"
LONG_AGO = datetime(2019, 5, 6, 12, tzinfo=UTC)


def agency_today() -> date:
    return datetime.now(ZoneInfo("Europe/Helsinki")).date()


def seed(database: Database) -> dict[str, int]:
    """Two records long due, one active, one held; staff to decide."""
    with database.transaction() as session:
        advisor = add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER, language="en")
        filled = fill_every_table(session, advisor, first_name="Maija")
        filled.person.last_activity_at = LONG_AGO
        ended = add_person(
            session,
            "Testi",
            "Virtanen",
            last_activity_at=LONG_AGO,
            relationships=((RelationshipKind.MEMBER, date(2020, 1, 31)),),
        )
        add_person(session, "Aktiivi", "Asiakas", last_activity_at=datetime.now(UTC))
        add_person(
            session,
            "Pidetty",
            "Henkilo",
            last_activity_at=LONG_AGO,
            retention_hold_until=agency_today() + timedelta(days=30),
        )
        return {"maija": filled.person.id, "testi": ended.id}


def run_review(database: Database, settings: Settings) -> JobOutcome:
    client = build_web_client(settings)
    return run_job("retention-review", database=database, client=client, settings=settings)


def everything_personal(database: Database) -> list[str]:
    with database.reading() as session:
        rows = session.execute(select(Person.first_name, Person.last_name, Person.email))
        return [value for row in rows for value in row if value]


def test_the_weekly_post_counts_the_due_records_by_public_reference_only(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    ids = seed(database)
    settings = make_settings(database, slack_api, reminder_channel_id=STAFF_CHANNEL)

    outcome = run_review(database, settings)
    again = run_review(database, settings)

    assert outcome.ran and outcome.summary == f"2 records due; posted to {STAFF_CHANNEL}"
    assert not again.ran
    [post] = slack_api.calls_to("chat.postMessage")
    assert post.args["channel"] == STAFF_CHANNEL
    posted = json.dumps(post.args, ensure_ascii=False)
    with database.reading() as session:
        for person_id in ids.values():
            person = session.get(Person, person_id)
            assert person is not None and f"`{person.reference}`" in posted
    assert "2 tietueen säilytysaika on päättynyt" in posted
    for personal in everything_personal(database):
        assert personal not in posted
    assert '"retention_review"' in posted


def test_without_a_reminder_channel_nothing_is_posted_and_the_summary_says_so(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    outcome = run_review(database, make_settings(database, slack_api))

    assert outcome.summary == "2 records due; no REMINDER_CHANNEL_ID, nothing posted"
    assert slack_api.calls_to("chat.postMessage") == []


def test_with_nothing_due_nothing_is_posted(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    settings = make_settings(database, slack_api, reminder_channel_id=STAFF_CHANNEL)
    outcome = run_review(database, settings)

    assert outcome.summary == "no record is due for a retention decision; nothing posted"
    assert slack_api.calls_to("chat.postMessage") == []


def posted_button_value(slack_api: SlackWebApiDouble) -> str:
    [post] = slack_api.calls_to("chat.postMessage")
    blocks = post.args["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    buttons = [
        element for block in blocks if block["type"] == "actions" for element in block["elements"]
    ]
    value: str = buttons[0]["value"]
    return value


def review_state(view: dict[str, Any], filled: dict[str, Any]) -> dict[str, Any]:
    """Slack's view state, with the decisions' radio buttons chosen as in `filled`."""
    values = state_of(view, filled)
    for block in view["blocks"]:
        element = block.get("element") or {}
        if element.get("type") == "radio_buttons":
            chosen = [o for o in element["options"] if o["value"] == filled.get(block["block_id"])]
            values[block["block_id"]] = {
                element["action_id"]: {
                    "type": "radio_buttons",
                    "selected_option": chosen[0] if chosen else None,
                }
            }
    return values


def submit_review(slack: SlackSender, view: dict[str, Any], filled: dict[str, Any]) -> Any:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "agency"},
        "user": user(CONTROLLER),
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": slack.trigger_id(),
        "view": view | {"state": {"values": review_state(view, filled)}},
        "response_urls": [],
        "is_enterprise_install": False,
    }
    return slack.interaction(payload).json()


def test_an_advisor_pressing_the_button_is_refused(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    run_review(database, make_settings(database, slack_api, reminder_channel_id=STAFF_CHANNEL))

    reply = press(slack, "retention_review", posted_button_value(slack_api), user_id=ADVISOR)

    assert reply.status == 200
    assert slack_api.calls_to("views.open") == []
    [refusal] = slack_api.calls_to(RESPONSE_URL)
    assert refusal.args["text"] == "Valitettavasti roolisi ei salli tätä."


def test_a_controller_reviews_erases_and_holds(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, ledger_path: Path
) -> None:
    ids = seed(database)
    run_review(database, make_settings(database, slack_api, reminder_channel_id=STAFF_CHANNEL))

    assert press(slack, "retention_review", posted_button_value(slack_api), user_id=CONTROLLER)
    modal = opened_view(slack_api)
    maija, testi = ids["maija"], ids["testi"]
    input_ids = [block["block_id"] for block in modal["blocks"] if block["type"] == "input"]
    assert input_ids == [
        f"decision_{maija}",
        f"hold_until_{maija}",
        f"hold_reason_{maija}",
        f"decision_{testi}",
        f"hold_until_{testi}",
        f"hold_reason_{testi}",
    ]
    assert "member, membership ended 31 Jan 2020" in json.dumps(modal)

    past = (agency_today() - timedelta(days=1)).isoformat()
    refused = submit_review(
        slack,
        modal,
        {f"decision_{maija}": "erase", f"decision_{testi}": "hold", f"hold_until_{testi}": past},
    )
    assert refused["response_action"] == "errors"
    assert refused["errors"] == {
        f"hold_until_{testi}": "The hold must end after today.",
        f"hold_reason_{testi}": "Give the reason for the hold.",
    }
    with database.reading() as session:
        assert session.get(Person, maija) is not None

    until = (agency_today() + timedelta(days=365)).isoformat()
    done = submit_review(
        slack,
        modal,
        {
            f"decision_{maija}": "erase",
            f"decision_{testi}": "hold",
            f"hold_until_{testi}": until,
            f"hold_reason_{testi}": "Jäsenmaksuriita",
        },
    )

    assert done["response_action"] == "update"
    summary = json.dumps(done["view"], ensure_ascii=False)
    assert "Erased: 1. Held: 1. Left for the next review: 0." in summary
    assert "Esimerkkirahoitus Oy" in summary
    with database.reading() as session:
        assert session.get(Person, maija) is None
        held = session.get(Person, testi)
        assert held is not None and held.retention_hold_reason == "Jäsenmaksuriita"
        erasure = session.scalars(select(Erasure).where(Erasure.person_id == maija)).one()
        assert erasure.request_id is None
    (line,) = ledger_lines(ledger_path)
    assert (line["person_id"], line["person_key"]) == (maija, str(erasure.person_key))
    with database.reading() as session:
        purposes = session.execute(
            select(AuditEvent.action, AuditEvent.purpose)
            .join(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
            .where(
                AuditEventPerson.person_id.in_([maija, testi]),
                AuditEvent.action.in_(
                    ["person.retention_review", "person.erase", "person.retention_hold"]
                ),
            )
        )
        assert sorted(purposes) == [
            ("person.erase", "retention_review"),
            ("person.retention_hold", "retention_review"),
            ("person.retention_review", "retention_review"),
            ("person.retention_review", "retention_review"),
        ]
