"""`follow-ups` through the job runner: each advisor's follow-ups of the day, by direct message,
audited as consultations."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.jobs.follow_ups import FOLLOW_UPS_SHOWN
from bot.jobs.runner import run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage.db import Database
from storage.models import AuditEvent
from storage.models.enums import Purpose, Role
from tests.bot.helpers.jobs import job_settings
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_meeting, add_person, add_staff

HELSINKI = ZoneInfo("Europe/Helsinki")
MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=HELSINKI)
TODAY = MORNING.date()
MET = datetime(2026, 11, 20, 10, 0, tzinfo=HELSINKI)


@pytest.fixture
def settings(database: Database, slack_api: SlackWebApiDouble) -> Settings:
    return job_settings(database, slack_api, reminder_channel_id="CREMIND01")


def run(database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    client = build_web_client(settings)
    return run_job("follow-ups", database=database, client=client, settings=settings, now=MORNING)


def test_each_advisor_hears_of_their_own_follow_ups_due_today(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, "UADV1", language="en")
        controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
        idle = add_staff(session, "UADV2")
        maija = add_person(session, "Maija", "<!channel> Mallikas")
        hidden = add_person(session, "Piilo", "Rajoitettu", restricted=True)
        add_meeting(session, maija, advisor, MET, follow_up_on=TODAY, topic="Rahoitus *nyt*")
        add_meeting(session, hidden, advisor, MET, follow_up_on=TODAY)
        add_meeting(session, hidden, controller, MET, follow_up_on=TODAY)
        add_meeting(session, maija, idle, MET, follow_up_on=TODAY + timedelta(days=1))
        maija_id, hidden_id = maija.id, hidden.id
        maija_reference = maija.reference

    outcome = run(database, settings)
    again = run(database, settings)

    assert outcome.ran and not again.ran
    assert outcome.summary == "2 advisors told of their follow-ups"
    to_advisor, to_controller = slack_api.calls_to("chat.postMessage")
    assert to_advisor.args["channel"] == "UADV1"
    assert to_advisor.args["text"] == "Your follow-ups today: 1"
    header, line = to_advisor.args["blocks"]
    assert header["text"]["text"] == "Your follow-ups today, 27 Nov 2026"
    assert line["text"]["text"] == (
        f"*Maija &lt;!channel&gt; Mallikas*  ·  {maija_reference}\nRahoitus *nyt*"
    )
    assert line["accessory"]["action_id"] == "person_open"
    assert line["accessory"]["value"] == str(maija_id)
    assert "Piilo" not in str(to_advisor.args)
    assert to_controller.args["channel"] == "UCTRL1"
    assert to_controller.args["text"] == "Tämän päivän yhteydenottoja: 1"
    assert "Piilo Rajoitettu" in str(to_controller.args["blocks"])
    with database.transaction() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "follow_up.remind")
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.actor, e.person_id, e.purpose) for e in events] == [
            ("UADV1", maija_id, Purpose.CUSTOMER_SERVICE.value),
            ("UCTRL1", hidden_id, Purpose.CUSTOMER_SERVICE.value),
        ]


def test_a_long_day_fits_one_message_and_points_to_the_home_tab(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, "UADV1", language="en")
        for number in range(FOLLOW_UPS_SHOWN + 3):
            person = add_person(session, "Testi", f"Virtanen{number}")
            add_meeting(session, person, advisor, MET, follow_up_on=TODAY)

    run(database, settings)

    (message,) = slack_api.calls_to("chat.postMessage")
    assert message.args["text"] == f"Your follow-ups today: {FOLLOW_UPS_SHOWN + 3}"
    blocks = message.args["blocks"]
    assert len(blocks) == FOLLOW_UPS_SHOWN + 2
    assert blocks[-1]["elements"][0]["text"] == "And 3 more on your Home tab."


def test_an_advisor_whose_follow_ups_are_all_restricted_gets_no_message(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, "UADV1")
        hidden = add_person(session, "Piilo", "Rajoitettu", restricted=True)
        add_meeting(session, hidden, advisor, MET, follow_up_on=TODAY)

    outcome = run(database, settings)

    assert outcome.summary == "0 advisors told of their follow-ups"
    assert slack_api.calls_to("chat.postMessage") == []
