"""A response_url carried in a form's private_metadata is posted to only when it is Slack's:
one that points elsewhere is dropped, and the confirmation goes by direct message instead."""

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from storage.db import Database
from storage.models.enums import Role
from tests.doubles.slack_web_api import RESPONSE_URL, SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers import data_subject_requests, meeting
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"


@pytest.fixture
def elsewhere() -> Iterator[SlackWebApiDouble]:
    """Another server, at an address that is neither Slack's nor SLACK_API_URL's."""
    with SlackWebApiDouble() as other:
        yield other


@pytest.fixture
def maija(database: Database) -> int:
    with database.transaction() as session:
        add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER)
        return add_person(session, "Maija", "Mallikas").id


def forged(view: dict[str, Any], response_url: str) -> dict[str, Any]:
    metadata = json.loads(view["private_metadata"])
    metadata["response_url"] = response_url
    return view | {"private_metadata": json.dumps(metadata)}


def dms_to(slack_api: SlackWebApiDouble, user_id: str) -> list[str]:
    calls = slack_api.calls_to("chat.postMessage")
    return [call.args["text"] for call in calls if call.args["channel"] == user_id]


def test_a_meeting_forms_response_url_elsewhere_is_not_called(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    elsewhere: SlackWebApiDouble,
    maija: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    slack.command("/tapaaminen", "Mallikas", user_id=ADVISOR)
    view = forged(opened_view(slack_api), elsewhere.url + "/response/T0TEST/1/abc")

    reply = meeting.submit(slack, view, meeting.form_values(maija))

    assert reply.status == 200
    assert elsewhere.calls == []
    assert slack_api.calls_to(RESPONSE_URL) == []
    (confirmation,) = dms_to(slack_api, ADVISOR)
    assert confirmation.startswith("Tallennettu: puhelu, *Maija Mallikas*")
    assert f"Dropped a response_url that is not Slack's, for staff {ADVISOR}" in caplog.text
    assert elsewhere.url not in caplog.text and "Maija" not in caplog.text


def test_a_request_forms_response_url_elsewhere_is_not_called(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    elsewhere: SlackWebApiDouble,
    maija: int,
) -> None:
    slack.command("/tietopyynto", user_id=ADVISOR)
    view = forged(opened_view(slack_api), elsewhere.url + "/response/T0TEST/1/abc")

    reply = data_subject_requests.submit(
        slack, view, data_subject_requests.request_values(maija), ADVISOR
    )

    assert reply.status == 200
    assert elsewhere.calls == []
    assert slack_api.calls_to(RESPONSE_URL) == []
    (confirmation,) = dms_to(slack_api, ADVISOR)
    assert "kirjattu" in confirmation


def test_the_response_url_slack_gave_is_still_used(
    slack: SlackSender, slack_api: SlackWebApiDouble, maija: int
) -> None:
    slack.command("/tapaaminen", "Mallikas", user_id=ADVISOR)

    meeting.submit(slack, opened_view(slack_api), meeting.form_values(maija))

    (confirmation,) = slack_api.calls_to(RESPONSE_URL)
    assert confirmation.args["text"].startswith("Tallennettu: puhelu, *Maija Mallikas*")
    assert dms_to(slack_api, ADVISOR) == []
