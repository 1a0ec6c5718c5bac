"""`/rekisteri kysely`: the survey list as a CSV in the controller's direct message, each
transfer recorded as a disclosure; advisors refused."""

from datetime import UTC, datetime

from sqlalchemy import select

from storage.db import Database
from storage.models import Disclosure
from storage.models.enums import RecipientKind, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender
from tests.e2e.helpers.uploads import lazy_work_done, uploads_when_done
from tests.people import add_meeting, add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"


def seed(database: Database) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        met = add_person(session, "Testi", "Virtanen", email="testi.virtanen@example.fi")
        add_meeting(session, met, advisor, datetime(2026, 3, 10, 9, tzinfo=UTC))
        hidden = add_person(session, "Maija", "Mallikas", restricted=True)
        add_meeting(session, hidden, advisor, datetime(2026, 3, 11, 9, tzinfo=UTC))


def test_the_controller_gets_the_csv_and_each_transfer_is_recorded(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    reply = slack.command("/rekisteri", "kysely 2026-03", user_id=CONTROLLER)
    assert reply.status == 200 and reply.json()["response_type"] == "ephemeral"

    (upload,) = uploads_when_done(slack_api, 1)
    assert upload.filename == "survey-20260301-20260331.csv"
    assert upload.content.decode("utf-8-sig").splitlines() == [
        "first_name;last_name;email",
        "Testi;Virtanen;testi.virtanen@example.fi",
    ]
    (message,) = slack_api.calls_to("chat.postMessage")
    assert message.args["channel"] == CONTROLLER and "1" in message.args["text"]
    assert upload.channel_id == message.response["channel"]  # type: ignore[index]
    with database.reading() as session:
        (disclosure,) = session.scalars(select(Disclosure)).all()
        assert disclosure.recipient_kind is RecipientKind.SURVEY_TOOL


def test_a_malformed_period_says_how_to_write_it_once(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    reply = slack.command("/register", "survey march", user_id=CONTROLLER)
    assert reply.status == 200 and "`1.10.2026–31.10.2026`" in reply.json()["text"]
    lazy_work_done(slack)
    assert slack_api.uploads == [] and slack_api.calls_to("chat.postMessage") == []


def test_the_survey_takes_the_reports_periods(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    for period in ("1.3.2026–31.3.2026", "2026-03-01–2026-03-31", "2026-Q1"):
        reply = slack.command("/rekisteri", f"kysely {period}", user_id=CONTROLLER)
        assert reply.status == 200 and reply.json()["response_type"] == "ephemeral", period
    names = sorted(upload.filename for upload in uploads_when_done(slack_api, 3))
    assert names == [
        "survey-20260101-20260331.csv",
        "survey-20260301-20260331.csv",
        "survey-20260301-20260331.csv",
    ]


def test_an_advisor_cannot_export_the_survey_list(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    reply = slack.command("/rekisteri", "kysely", user_id=ADVISOR)
    assert reply.status == 200 and "kysely" not in reply.text
    assert slack_api.uploads == []
