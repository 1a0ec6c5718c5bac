"""A forged retention review: a button value or private_metadata that carries its own retention
policy, or ids the server's policy does not find due. Only the settings on the server decide."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from storage.db import Database
from storage.models import AuditEvent, Person
from storage.models.enums import AuditOutcome, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import TEAM_ID, SlackSender, opened_view
from tests.e2e.helpers.person_form import press, user
from tests.people import add_person, add_staff

CONTROLLER = "UCONTROL1"
LONG_AGO = datetime(2019, 5, 6, 12, tzinfo=UTC)
# One month in every period: under it a customer active three months ago would be due.
FORGED_POLICY = {"customer_months": 1, "member_months": 1, "stakeholder_months": 1}


def seed(database: Database) -> dict[str, int]:
    """One record long due, one active three months ago (due in 33 months under the settings)."""
    with database.transaction() as session:
        add_staff(session, CONTROLLER, Role.CONTROLLER, language="en")
        due = add_person(session, "Vanha", "Asiakas", last_activity_at=LONG_AGO)
        recent = add_person(
            session,
            "Tuore",
            "Asiakas",
            last_activity_at=datetime.now(UTC) - timedelta(days=90),
        )
        return {"due": due.id, "recent": recent.id}


def erase_choice(person_id: int) -> dict[str, Any]:
    key = f"decision_{person_id}"
    chosen = {"value": "erase", "text": {"type": "plain_text", "text": "Erase"}}
    return {key: {key: {"type": "radio_buttons", "selected_option": chosen}}}


def submit_forged(
    slack: SlackSender, metadata: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    view = {
        "id": "V0FORGED",
        "team_id": TEAM_ID,
        "type": "modal",
        "callback_id": "retention_review_form",
        "private_metadata": json.dumps(metadata),
        "blocks": [],
        "state": {"values": values},
        "hash": "1700000000.abc",
        "app_id": "A0TEST",
    }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "agency"},
        "user": user(CONTROLLER),
        "api_app_id": "A0TEST",
        "token": "legacy",
        "trigger_id": slack.trigger_id(),
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
    }
    answer: dict[str, Any] = slack.interaction(payload).json()
    return answer


def exists(database: Database, person_id: int) -> bool:
    with database.reading() as session:
        return session.get(Person, person_id) is not None


def test_a_button_carrying_its_own_policy_lists_only_what_the_settings_find_due(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    ids = seed(database)

    press(slack, "retention_review", json.dumps(FORGED_POLICY), user_id=CONTROLLER)

    modal = opened_view(slack_api)
    decisions = [b["block_id"] for b in modal["blocks"] if b.get("block_id", "").startswith("dec")]
    assert decisions == [f"decision_{ids['due']}"]
    assert str(ids["recent"]) not in modal["private_metadata"]


def test_forged_metadata_naming_a_record_not_due_is_refused_and_nothing_is_erased(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    ids = seed(database)
    recent = ids["recent"]

    done = submit_forged(
        slack, {"policy": FORGED_POLICY, "person_ids": [recent]}, erase_choice(recent)
    )

    assert exists(database, recent)
    assert done["response_action"] == "update"
    summary = json.dumps(done["view"], ensure_ascii=False)
    assert "Erased: 0." in summary
    with database.reading() as session:
        reference = session.scalars(select(Person.reference).where(Person.id == recent)).one()
        refused = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.purpose).where(
                AuditEvent.person_id == recent, AuditEvent.outcome == AuditOutcome.DENIED
            )
        ).all()
    assert "Refused: 1 record is not due for a decision" in summary
    assert f"`{reference}`" in summary
    assert refused == [(CONTROLLER, "person.retention_refused", "retention_review")]


def test_forged_metadata_still_lets_a_record_that_is_due_be_erased(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    ids = seed(database)
    due, recent = ids["due"], ids["recent"]

    done = submit_forged(
        slack,
        {"policy": FORGED_POLICY, "person_ids": [due, recent]},
        erase_choice(due) | erase_choice(recent),
    )

    assert "Erased: 1." in json.dumps(done["view"])
    assert not exists(database, due)
    assert exists(database, recent)
