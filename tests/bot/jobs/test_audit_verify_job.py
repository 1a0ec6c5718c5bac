"""`audit-verify` run for each agency: checks that agency's chain, anchors its head under its
agency, and tells that agency's controllers when its chain is broken, leaving the others'."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from bot.jobs.runner import run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import audit
from storage.db import Database
from storage.models import THE_AGENCY, OutboxMessage, Staff
from storage.models.enums import Role
from tests.tampering import lift_audit_guards

NIGHT = datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Helsinki"))


def run_for(database: Database, settings: Settings, agency: int) -> str:
    """The job as the clock runs it for one agency, in a transaction acting for it (forced: the
    tests check one night's chain more than once)."""
    outcome = run_job(
        "audit-verify",
        database=database,
        client=build_web_client(settings),
        settings=settings,
        agency=agency,
        force=True,
        now=NIGHT,
    )
    return outcome.summary


def consultations(database: Database, agency: int, count: int) -> list[int]:
    with database.transaction(agency=agency) as session:
        session.add(Staff(slack_user_id=f"UCTRL{agency}", role=Role.CONTROLLER, language="en"))
        return [
            audit.record(session=session, actor="UADV1", action="person.view", person_id=n).id
            for n in range(1, count + 1)
        ]


def test_each_agencys_head_is_anchored_under_its_agency(
    database: Database, settings: Settings, other_agency: int
) -> None:
    consultations(database, THE_AGENCY, 3)
    theirs = consultations(database, other_agency, 2)

    assert run_for(database, settings, other_agency) == "audit trail intact, 2 events"
    assert run_for(database, settings, THE_AGENCY) == "audit trail intact, 3 events"
    assert run_for(database, settings, other_agency) == "audit trail intact, 3 events"

    lines = [json.loads(line) for line in settings.audit_anchor_path.read_text().splitlines()]
    assert [(line["agency"], line["seq"], line["count"]) for line in lines] == [
        (other_agency, 2, 2),
        (THE_AGENCY, 3, 3),
        (other_agency, 3, 3),  # the first check's own event, sealed since
    ]
    assert lines[0]["event_id"] == theirs[-1]


def test_a_broken_chain_is_told_to_its_agencys_controllers_only(
    database: Database, settings: Settings, other_agency: int
) -> None:
    consultations(database, THE_AGENCY, 2)
    theirs = consultations(database, other_agency, 3)
    run_for(database, settings, other_agency)
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
        owner.execute(
            text("UPDATE audit_events SET person_id = 9 WHERE id = :id"), {"id": theirs[1]}
        )

    broken = run_for(database, settings, other_agency)
    intact = run_for(database, settings, THE_AGENCY)

    assert broken.startswith(f"audit trail broken at event {theirs[1]}")
    assert intact == "audit trail intact, 2 events"
    with database.reading(agency=other_agency) as session:
        assert session.scalars(select(OutboxMessage.recipient)).all() == [f"UCTRL{other_agency}"]
    with database.reading() as session:
        assert session.scalars(select(OutboxMessage.recipient)).all() == []
