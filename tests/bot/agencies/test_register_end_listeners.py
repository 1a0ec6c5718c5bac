"""`/rekisteri vie` and `/rekisteri tyhjennä` in the App in process: the admin's alone, each
refusal audited; a wrong confirmation erases nothing; on a workspace without a name the word
confirms, in either language, and another agency's register stays; a failed export is told
plainly, with nothing personal in the log."""

import json
import logging
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.slack.ids import REGISTER_ERASE_CONFIRMATION
from storage import slack_copies
from storage.db import Database
from storage.models import AuditEvent, Person, SlackFile, Staff
from storage.models.base import utcnow
from storage.models.enums import AuditOutcome, Role, SlackFileKind
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import ADMIN, SlackSender, opened_view
from tests.e2e.helpers.person_form import submit
from tests.e2e.helpers.uploads import lazy_work_done, messages_when_done, uploads_when_done
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"


def seed(database: Database, agency: int | None = None) -> None:
    with database.transaction(**({} if agency is None else {"agency": agency})) as session:
        if agency is None:
            add_staff(session, ADVISOR)
            add_staff(session, CONTROLLER, Role.CONTROLLER)
        add_person(session, "Testi", "Virtanen", email="testi.virtanen@example.fi")


def count(database: Database, model: type, agency: int | None = None) -> int:
    with database.reading(**({} if agency is None else {"agency": agency})) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def erase_form(slack: SlackSender, slack_api: SlackWebApiDouble) -> dict:  # type: ignore[type-arg]
    reply = slack.command("/rekisteri", "tyhjennä", user_id=ADMIN)
    assert (reply.status, reply.body) == (200, b"")
    return opened_view(slack_api)


def test_only_the_admin_may_export_or_erase_and_each_refusal_is_audited(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    view = erase_form(slack, slack_api)
    opened = len(slack_api.calls_to("views.open"))

    for user_id in (ADVISOR, CONTROLLER):
        for command, text in (("/rekisteri", "vie"), ("/register", "erase")):
            reply = slack.command(command, text, user_id=user_id)
            assert reply.json()["text"].startswith("Valitettavasti"), reply.text
        forged = submit(slack, view, {REGISTER_ERASE_CONFIRMATION: "TYHJENNÄ"}, user_id=user_id)
        assert forged.json()["response_action"] == "push"  # the refusal, over the form

    lazy_work_done(slack)
    assert slack_api.uploads == [] and slack_api.calls_to("chat.postMessage") == []
    assert len(slack_api.calls_to("views.open")) == opened
    assert count(database, Person) == 1 and count(database, Staff) == 3
    with database.reading() as session:
        denied = session.execute(
            select(AuditEvent.actor, AuditEvent.action).where(
                AuditEvent.outcome == AuditOutcome.DENIED
            )
        ).all()
    assert sorted(tuple(row) for row in denied) == sorted(
        (user_id, "permission.register:end") for user_id in (ADVISOR, CONTROLLER) for _ in range(3)
    )


def test_a_wrong_confirmation_is_refused_beside_the_field_and_erases_nothing(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    view = erase_form(slack, slack_api)
    shown = json.dumps(view["blocks"], ensure_ascii=False)
    assert "*TYHJENNÄ*" in shown and "Poistuu" in shown and "Henkilöt: 1" in shown

    for typed in ("tyhjennetään", "", "Toinen yrityskeskus"):
        reply = submit(slack, view, {REGISTER_ERASE_CONFIRMATION: typed}, user_id=ADMIN)
        answer = reply.json()
        assert answer["response_action"] == "errors"
        assert list(answer["errors"]) == [REGISTER_ERASE_CONFIRMATION]

    lazy_work_done(slack)
    assert count(database, Person) == 1 and count(database, Staff) == 3
    assert slack_api.calls_to("chat.postMessage") == []
    with database.reading() as session:
        assert (
            session.scalars(
                select(AuditEvent.id).where(AuditEvent.action == "register.erase")
            ).all()
            == []
        )


@pytest.mark.parametrize("word", ["tyhjennä", "ERASE"])
def test_the_word_confirms_and_the_other_agencys_register_stays(
    word: str,
    slack: SlackSender,
    database: Database,
    slack_api: SlackWebApiDouble,
    other_agency: int,
) -> None:
    seed(database)
    seed(database, other_agency)
    view = erase_form(slack, slack_api)

    reply = submit(slack, view, {REGISTER_ERASE_CONFIRMATION: word}, user_id=ADMIN)

    assert reply.json()["response_action"] == "update"
    assert "yksityisviestinä" in json.dumps(reply.json()["view"], ensure_ascii=False)
    (summary,) = messages_when_done(slack_api, ADMIN)
    assert "1 henkilö poistettiin" in summary["text"] and "ADMIN_USER_IDS" in summary["text"]
    assert count(database, Person) == 0 and count(database, Staff) == 0
    assert count(database, Person, other_agency) == 1


def test_a_failed_export_is_told_plainly_and_logs_nothing_personal(
    slack: SlackSender,
    database: Database,
    slack_api: SlackWebApiDouble,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    seed(database)
    slack_api.inject("files.getUploadURLExternal", 200, error="internal_error")

    reply = slack.command("/register", "export", user_id=ADMIN)

    assert reply.json()["response_type"] == "ephemeral"
    lazy_work_done(slack)
    told = [call.args["text"] for call in slack_api.calls_to("chat.postMessage")]
    assert told[-1].startswith("Rekisterin vientiä ei voitu koota tai lähettää.")
    assert count(database, SlackFile) == 0
    assert "Virtanen" not in caplog.text and "testi.virtanen" not in caplog.text


def test_the_erasure_deletes_the_files_the_bot_left_in_slack_but_the_export(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    seed(database)
    package = build_web_client(settings).files_upload_v2(
        channel="DCONTROL1", content=b"first_name;last_name\n", filename="p.csv", title="p"
    )["files"][0]["id"]
    with database.transaction() as session:
        (person_id,) = session.scalars(select(Person.id)).all()
        slack_copies.record_files(
            session=session,
            slack_file_ids=[package],
            channel_id="DCONTROL1",
            kind=SlackFileKind.ACCESS_PACKAGE,
            uploaded_for=CONTROLLER,
            keep_until=utcnow() + timedelta(days=14),
            person_ids=[person_id],
        )
    slack.command("/rekisteri", "vie", user_id=ADMIN)
    (export,) = [upload.file_id for upload in uploads_when_done(slack_api, 2)[1:]]
    messages_when_done(slack_api, ADMIN)

    view = erase_form(slack, slack_api)
    submit(slack, view, {REGISTER_ERASE_CONFIRMATION: "TYHJENNÄ"}, user_id=ADMIN)
    lazy_work_done(slack)

    deadline = time.monotonic() + 10
    while package not in slack_api.deleted_files and time.monotonic() < deadline:
        time.sleep(0.02)
    assert package in slack_api.deleted_files
    assert export in slack_api.files and export not in slack_api.deleted_files
    with database.reading() as session:
        kept = session.execute(select(SlackFile.kind, SlackFile.deleted_at)).all()
    assert sorted((str(kind), gone is None) for kind, gone in kept) == [
        ("access_package", False),
        ("register_export", True),
    ]
    assert slack_api.violations == []


def test_the_form_sent_twice_erases_once(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    seed(database)
    view = erase_form(slack, slack_api)

    for _ in range(2):
        reply = submit(slack, view, {REGISTER_ERASE_CONFIRMATION: "TYHJENNÄ"}, user_id=ADMIN)
        assert reply.json()["response_action"] == "update"
    lazy_work_done(slack)

    (summary,) = messages_when_done(slack_api, ADMIN)
    assert "1 henkilö poistettiin" in summary["text"]
    with database.reading() as session:
        erasures = session.scalars(
            select(AuditEvent.id).where(AuditEvent.action == "register.erase")
        ).all()
    assert len(erasures) == 1
