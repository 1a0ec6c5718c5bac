"""Hostile input through the real HTTP endpoint: control characters in forms and commands."""

import csv
import io
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from storage.db import Database
from storage.models import AuditEvent
from storage.models.enums import Role
from tests.doubles.slack_web_api import RESPONSE_URL, SlackWebApiDouble
from tests.e2e.harness import TEAM_ID, SlackSender, opened_view
from tests.e2e.helpers.meeting import form_values, meeting_count, people
from tests.e2e.helpers.meeting import submit as submit_meeting
from tests.e2e.helpers.person_form import (
    ADVISOR,
    TESTI,
    add_staff,
    open_new_form,
    persons_named,
    press,
    submit,
)
from tests.e2e.helpers.uploads import uploads_when_done
from tests.people import add_meeting, add_person
from tests.people import add_staff as add_staff_row

__all__ = ["people"]


def test_control_characters_in_the_person_form_are_field_errors(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)
    hostile = TESTI | {
        "last_name": "Virta\x00nen",
        "municipality": "\x1b[2JHelsinki",
        "post_office": "Hel\nsinki",
        "street_address": "c/o Mallikas\nEsimerkkikatu 1",
    }

    answer = submit(slack, view, hostile, user_id=ADVISOR).json()

    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"last_name", "municipality", "post_office"}
    assert "ohjausmerkit" in answer["errors"]["municipality"]
    assert persons_named(database, "Testi") == []


def test_a_multi_line_address_is_kept(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    view = open_new_form(slack, slack_api, user_id=ADVISOR)

    answer = submit(
        slack, view, TESTI | {"street_address": "c/o Mallikas\r\nKatu 1"}, user_id=ADVISOR
    ).json()

    assert answer["response_action"] == "update"
    (saved,) = persons_named(database, "Testi")
    assert saved.street_address == "c/o Mallikas\nKatu 1"


def test_an_escape_sequence_in_meeting_notes_is_a_field_error(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    slack.command("/tapaaminen", user_id=ADVISOR)
    view = opened_view(slack_api)

    reply = submit_meeting(
        slack,
        view,
        form_values(
            people["maija"], topic="Raho\ttus", notes="Hyvä\n\x1b]8;;https://x.invalid\x07linkki"
        ),
    )

    assert reply.json()["response_action"] == "errors"
    assert set(reply.json()["errors"]) == {"topic", "notes"}
    assert meeting_count(database) == 0


def _ephemeral(reply: Any) -> str:
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    return str(body["text"])


def test_control_characters_in_a_slash_command_are_refused(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)

    for command, text in (
        ("/asiakas", "virta\x00nen"),
        ("/asiakas", "\x1b[31mvirtanen"),
        ("/tapaaminen", "mallikas\nvirtanen"),
        ("/rekisteri", "kieli\x07 en"),
    ):
        reply = slack.command(command, text, user_id=ADVISOR)
        assert reply.status == 200
        assert "ohjausmerkkejä" in _ephemeral(reply), command
    assert slack_api.calls_to("views.open") == []


def test_the_survey_list_writes_a_formula_name_as_text(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    with database.transaction() as session:
        advisor = add_staff_row(session, "UADVISOR2")
        add_staff_row(session, "UCONTROL2", Role.CONTROLLER)
        person = add_person(
            session, '=HYPERLINK("https://x.invalid";"Avaa")', "Kokeilu", email="k@example.fi"
        )
        add_meeting(session, person, advisor, datetime(2026, 3, 10, 9, tzinfo=UTC))

    slack.command("/rekisteri", "kysely 2026-03", user_id="UCONTROL2")

    (upload,) = uploads_when_done(slack_api, 1)
    assert upload.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(upload.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["first_name", "last_name", "email"],
        ['\'=HYPERLINK("https://x.invalid";"Avaa")', "Kokeilu", "k@example.fi"],
    ]


def test_a_meeting_time_from_a_large_epoch_is_out_of_range_not_milliseconds(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    slack.command("/tapaaminen", user_id=ADVISOR)
    view = opened_view(slack_api)
    year_3000 = int(datetime(3000, 1, 1, tzinfo=UTC).timestamp())

    reply = submit_meeting(slack, view, form_values(people["maija"], occurred_at=year_3000))

    assert reply.json()["response_action"] == "errors"
    assert reply.json()["errors"] == {"occurred_at": "Tapaaminen ei voi olla tulevaisuudessa."}
    assert meeting_count(database) == 0


def test_a_person_search_with_a_nul_finds_nothing_and_audits_nothing(
    slack: SlackSender, slack_api: SlackWebApiDouble, people: dict[str, int], database: Database
) -> None:
    slack.command("/tapaaminen", user_id=ADVISOR)
    view = opened_view(slack_api)
    with database.reading() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))

    reply = slack.interaction(
        {
            "type": "block_suggestion",
            "team": {"id": TEAM_ID, "domain": "agency"},
            "user": {"id": ADVISOR, "name": ADVISOR.lower(), "team_id": TEAM_ID},
            "api_app_id": "A0TEST",
            "token": "legacy",
            "container": {"type": "view", "view_id": "V0MEETING"},
            "action_id": "person_id",
            "block_id": "person_id",
            "value": "virta\x00nen",
            "view": {"id": "V0MEETING", "type": "modal", "callback_id": view["callback_id"]},
        }
    )

    # No person, only the reason: the one option stands for no choice.
    assert reply.status == 200
    [option] = reply.json()["options"]
    assert option["value"] == "none" and "ohjausmerkkej" in option["text"]["text"]
    with database.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_a_person_button_whose_value_is_no_person_id_is_refused_before_any_read(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    before = _audit_count(database)

    for action_id in ("person_open", "person_edit", "meeting_log"):
        reply = press(slack, action_id, "1 OR 1=1", user_id=ADVISOR)
        assert reply.status == 200, action_id

    assert slack_api.wait_for(RESPONSE_URL, count=3)
    said = [call.args["text"] for call in slack_api.calls_to(RESPONSE_URL)]
    assert said == ["Painike ei viittaa henkilöön."] * 3
    assert slack_api.calls_to("views.open") == []
    assert _audit_count(database) == before


def _audit_count(database: Database) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0
