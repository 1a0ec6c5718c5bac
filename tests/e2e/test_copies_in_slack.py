"""Nothing left behind in Slack, end to end: the files the bot uploads say until when they stay
and are recorded; erasing a person through Slack deletes every file about them from Slack and
takes their name out of the follow-up reminder that named them, while the others on it stay."""

import json
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.jobs.runner import run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.slack.ids import REQUEST_ERASURE_FORM
from bot.slack.text import format_date
from storage import requests, staff
from storage.db import Database
from storage.erasure import erase
from storage.models import DataSubjectRequest, SlackFile, SlackFilePerson, SlackMessage
from storage.models.base import utcnow
from storage.models.enums import RequestChannel, RequestKind, RequestStatus, Role, SlackFileKind
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers import meeting
from tests.e2e.helpers.meeting import people, press_meeting_log
from tests.e2e.helpers.person_form import press, submit
from tests.e2e.helpers.uploads import uploads_when_done
from tests.people import add_meeting, add_person, add_staff

__all__ = ["people"]  # the fixture

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"
ALERT_CHANNEL = "DCONTROL1"
WAIT_SECONDS = 30


def verified_request(session: Any, kind: RequestKind, person_id: int, filer_id: int) -> int:
    request = DataSubjectRequest(
        kind=kind,
        person_id=person_id,
        channel=RequestChannel.EMAIL,
        language="fi",
        received_on=date.today(),
        due_on=date.today() + timedelta(days=30),
        filed_by_id=filer_id,
        status=RequestStatus.IN_PROGRESS,
        identity_verified_at=utcnow(),
        identity_verification="known_email",
    )
    session.add(request)
    session.flush()
    requests.record_alert(
        session=session,
        request_id=request.id,
        slack_user_id=CONTROLLER,
        channel_id=ALERT_CHANNEL,
        message_ts=f"1700000000.00{request.id:04d}",
    )
    return request.id


def seed(database: Database, today: date) -> tuple[int, int]:
    """Two persons with a follow-up today; an access and an erasure request about the first."""
    with database.transaction() as session:
        advisor = add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        erased = add_person(session, "Maija", "Poistettava")
        kept = add_person(session, "Matti", "Pysyvä")
        met = utcnow() - timedelta(days=7)
        for person in (erased, kept):
            add_meeting(session, person, advisor, met, follow_up_on=today)
        access = verified_request(session, RequestKind.ACCESS, erased.id, advisor.id)
        erasure = verified_request(session, RequestKind.ERASURE, erased.id, advisor.id)
        return access, erasure


def files_recorded(database: Database, count: int) -> list[SlackFile]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        with database.reading() as session:
            files = list(session.scalars(select(SlackFile).order_by(SlackFile.id)))
        if len(files) >= count or time.monotonic() > deadline:
            return files
        threading.Event().wait(0.05)


def shown(args: dict[str, Any]) -> str:
    return args.get("text", "") + json.dumps(args.get("blocks", ""), ensure_ascii=False)


def test_an_erasure_deletes_the_persons_files_and_takes_their_name_out_of_messages(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    today = datetime.now(settings.zone).date()
    access, erasure = seed(database, today)
    run_job("follow-ups", database=database, client=build_web_client(settings), settings=settings)
    (reminder,) = [
        c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == ADVISOR
    ]
    assert "Poistettava" in shown(reminder.args)

    assert press(slack, "request_fulfil", str(access), user_id=CONTROLLER).status == 200
    uploads = uploads_when_done(slack_api, 2)
    files = files_recorded(database, 2)
    keep_until = files[0].keep_until
    assert timedelta(days=13, hours=23) < keep_until - utcnow() <= timedelta(days=14)
    day = format_date(keep_until.astimezone(settings.zone).date(), "fi")
    assert all(day in (upload.initial_comment or "") for upload in uploads)
    assert "säilyvät Slackissa" in (uploads[0].initial_comment or "")
    assert {f.slack_file_id for f in files} == {u.file_id for u in uploads}
    assert {(f.kind, f.request_id, f.channel_id) for f in files} == {
        (SlackFileKind.ACCESS_PACKAGE, access, ALERT_CHANNEL)
    }

    assert press(slack, "request_fulfil", str(erasure), user_id=CONTROLLER).status == 200
    confirmation = opened_view(slack_api)
    assert confirmation["callback_id"] == REQUEST_ERASURE_FORM
    assert submit(slack, confirmation, {}, user_id=CONTROLLER).status == 200

    assert slack_api.wait_for("files.delete", 2, timeout=WAIT_SECONDS)
    deleted = {call.args["file"] for call in slack_api.calls_to("files.delete")}
    assert deleted == {upload.file_id for upload in uploads}
    assert slack_api.files == {}
    redacted = [
        call.args
        for call in slack_api.calls_to("chat.update")
        if call.args["ts"] == reminder.response["ts"]  # type: ignore[index]
    ]
    assert redacted and "Poistettava" not in shown(redacted[-1])
    assert "Pysyvä" in shown(redacted[-1])
    with database.reading() as session:
        assert all(f.deleted_at is not None for f in session.scalars(select(SlackFile)))
        assert session.scalars(select(SlackFilePerson)).all() == []
        (message,) = session.scalars(select(SlackMessage)).all()
        assert message.redacted_at is not None
    assert slack_api.violations == []


def test_the_survey_list_says_until_when_it_stays_and_names_its_persons(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        met = add_person(session, "Testi", "Virtanen", email="testi.virtanen@example.fi")
        add_meeting(session, met, advisor, datetime(2026, 3, 10, 9, tzinfo=UTC))
        met_id = met.id

    slack.command("/rekisteri", "kysely 2026-03", user_id=CONTROLLER)

    (upload,) = uploads_when_done(slack_api, 1)
    (file,) = files_recorded(database, 1)
    (comment,) = [c.args["text"] for c in slack_api.calls_to("chat.postMessage")]
    day = format_date(file.keep_until.astimezone(settings.zone).date(), "fi")
    assert f"Tiedosto säilyy Slackissa {day} asti" in comment
    assert (file.kind, file.slack_file_id) == (SlackFileKind.SURVEY_LIST, upload.file_id)
    with database.reading() as session:
        linked = session.scalars(select(SlackFilePerson.person_id)).all()
    assert linked == [met_id]


def test_a_meeting_confirmed_by_direct_message_loses_the_name_on_erasure(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, people: dict[str, int]
) -> None:
    slack.response_url = slack_api.url + "/expired/T0TEST/1/abc"
    press_meeting_log(slack, people["testi"])
    meeting.submit(slack, opened_view(slack_api), meeting.form_values(people["testi"]))
    (confirmation,) = slack_api.calls_to("chat.postMessage")
    assert "Testi Virtanen" in confirmation.args["text"]

    with database.transaction() as session:
        controller = staff.find(session=session, slack_user_id=meeting.CONTROLLER)
        assert controller is not None
        erase(session=session, actor=controller, person_id=people["testi"], request_id=None)

    (update,) = slack_api.calls_to("chat.update")
    assert update.args["ts"] == confirmation.response["ts"]  # type: ignore[index]
    assert "Virtanen" not in shown(update.args)
    assert "poistettu rekisteristä" in update.args["text"]
    assert slack_api.violations == []


def test_the_reports_files_say_until_when_they_stay_and_concern_no_one(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    with database.transaction() as session:
        controller = add_staff(session, CONTROLLER, Role.CONTROLLER, language="en")
        for _ in range(5):
            add_meeting(session, add_person(session), controller, datetime(2025, 3, 2, tzinfo=UTC))

    slack.command("/rekisteri", "raportti 2025", user_id=CONTROLLER)

    uploads = uploads_when_done(slack_api, 3)
    files = files_recorded(database, 3)
    (comment,) = [c.args["text"] for c in slack_api.calls_to("chat.postMessage")]
    day = format_date(files[0].keep_until.astimezone(settings.zone).date(), "en")
    assert f"The files stay in Slack until {day} and are then deleted." in comment
    assert {f.slack_file_id for f in files} == {u.file_id for u in uploads}
    assert {f.kind for f in files} == {SlackFileKind.REPORT}
    with database.reading() as session:
        assert session.scalars(select(SlackFilePerson)).all() == []
