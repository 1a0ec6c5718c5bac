"""A controller works every open request from the Home tab, through Slack end to end: each
request with the buttons that apply to it, a page at a time, so none depends on its alert."""

import json
from datetime import timedelta
from typing import Any

from bot.slack.ids import HOME_REQUESTS_PAGE, REQUEST_START
from storage.db import Database
from storage.home import REQUEST_LIMIT
from storage.models import DataSubjectRequest
from storage.models.enums import RequestChannel, RequestKind, RequestStatus, Role
from tests import people
from tests.bot.helpers.block_kit_limits import blocks_problems
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender
from tests.e2e.helpers.data_subject_requests import agency_today
from tests.e2e.helpers.person_form import press

CONTROLLER = "UCONTROL1"
OPEN_REQUESTS = REQUEST_LIMIT + 2


def buttons(view: dict[str, Any], action_id: str) -> list[dict[str, Any]]:
    return [
        element
        for block in view["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == action_id
    ]


def file_requests(database: Database) -> list[int]:
    today = agency_today()
    with database.transaction() as session:
        people.add_staff(session, CONTROLLER, Role.CONTROLLER)
        filed = []
        for day in range(OPEN_REQUESTS):
            request = DataSubjectRequest(
                kind=RequestKind.ACCESS,
                channel=RequestChannel.EMAIL,
                received_on=today - timedelta(days=20 - day),
                due_on=today + timedelta(days=10 + day),
                status=RequestStatus.RECEIVED,
            )
            session.add(request)
            session.flush()
            filed.append(request.id)
        return filed


def open_home(slack: SlackSender, slack_api: SlackWebApiDouble) -> dict[str, Any]:
    slack.event({"type": "app_home_opened", "user": CONTROLLER, "channel": "D1", "tab": "home"})
    return published(slack_api)


def published(slack_api: SlackWebApiDouble) -> dict[str, Any]:
    return dict(slack_api.calls_to("views.publish")[-1].args["view"]) | {"id": "VHOME"}


def test_every_open_request_can_be_worked_from_the_home_tab(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    filed = file_requests(database)

    home = open_home(slack, slack_api)
    assert blocks_problems(home["blocks"], 100, "/blocks") == []
    assert [b["value"] for b in buttons(home, REQUEST_START)] == [
        str(i) for i in filed[:REQUEST_LIMIT]
    ]
    assert f"1–{REQUEST_LIMIT} / {OPEN_REQUESTS}" in json.dumps(home, ensure_ascii=False)

    (following,) = buttons(home, HOME_REQUESTS_PAGE)
    press(slack, HOME_REQUESTS_PAGE, following["value"], user_id=CONTROLLER, in_view=home)
    second = published(slack_api)
    assert [b["value"] for b in buttons(second, REQUEST_START)] == [
        str(i) for i in filed[REQUEST_LIMIT:]
    ]
    assert json.loads(second["private_metadata"]) == {"follow_ups": 0, "requests": 1}

    last = filed[-1]
    assert press(slack, REQUEST_START, str(last), user_id=CONTROLLER, in_view=second).status == 200
    with database.reading() as session:
        request = session.get(DataSubjectRequest, last)
        assert request is not None and request.status is RequestStatus.IN_PROGRESS
    press(slack, HOME_REQUESTS_PAGE, following["value"], user_id=CONTROLLER, in_view=home)
    assert [b["value"] for b in buttons(published(slack_api), REQUEST_START)] == [
        str(i) for i in filed[REQUEST_LIMIT:-1]
    ]
