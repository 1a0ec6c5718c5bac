"""`/rekisteri tarkastus` anchors the audit chain's head outside the database and reports the
events missing since the last anchor."""

import json

from sqlalchemy import text

from bot.runtime.settings import Settings
from storage.db import Database
from tests.e2e.harness import ADMIN, SlackSender
from tests.e2e.helpers.roles import ADVISOR, CONTROLLER, grant
from tests.tampering import lift_audit_guards


def test_verify_anchors_the_head_and_reports_the_newest_events_removed(
    slack: SlackSender, database: Database, settings: Settings
) -> None:
    grant(slack, CONTROLLER, "yhteyshenkilo")
    first = slack.command("/rekisteri", "tarkastus", user_id=CONTROLLER).json()["text"]
    anchor = json.loads(settings.audit_anchor_path.read_text().splitlines()[-1])
    with database.engine.begin() as owner:
        lift_audit_guards(owner)
        owner.execute(text("DELETE FROM audit_events WHERE id >= :id"), {"id": anchor["event_id"]})

    second = slack.command("/rekisteri", "tarkastus", user_id=CONTROLLER).json()["text"]

    assert first.startswith("Lokiketju on ehjä")
    assert "Tapahtumia on kadonnut tai muuttunut viimeisimmän ankkurin" in second
    assert f"Itse tapahtuma {anchor['event_id']} puuttuu." in second
    assert len(settings.audit_anchor_path.read_text().splitlines()) == 1


def test_the_staff_list_names_who_changed_each_role(slack: SlackSender) -> None:
    grant(slack, CONTROLLER, "yhteyshenkilo")
    grant(slack, ADVISOR, "neuvoja")
    slack.command("/rekisteri", f"poista <@{ADVISOR}>", user_id=ADMIN)

    reply = slack.command("/rekisteri", "henkilokunta", user_id=ADMIN).json()
    listing = json.dumps(reply, ensure_ascii=False)

    assert f"<@{CONTROLLER}>: rekisteriasioiden yhteyshenkilö · antanut <@{ADMIN}>" in listing
    assert f"<@{ADMIN}>: pääkäyttäjä · asetuksesta ADMIN_USER_IDS" in listing
    assert f"<@{ADVISOR}> · poistanut <@{ADMIN}>" in listing
