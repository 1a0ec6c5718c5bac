"""The request a button or a modal names, loaded in one place with the rule for one already
acted on."""

import json
import logging
from datetime import date
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.listener.listener_start_handler import ListenerStartHandler
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.requests.alerts import send_alerts
from bot.requests.named import for_open_request
from bot.slack import transactions as unit_of_work
from bot.slack.errors import error_handler
from bot.slack.i18n import translator
from bot.slack.middleware import provide
from storage import requests, staff
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.enums import OutboxKind, RequestChannel, RequestKind, Role
from storage.requests import RequestFiling, RequestView
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_staff


def app_with(database: Database, slack_api: SlackWebApiDouble, listener: Any) -> App:
    app = App(
        client=WebClient(token="xoxb-test", base_url=slack_api.base_url),
        request_verification_enabled=False,
        token_verification_enabled=False,
        process_before_response=True,
        logger=logging.getLogger(__name__),
    )
    app.use(provide(t=translator("en")))
    app.error(error_handler)
    unit_of_work.install(app, database)
    runner = app.listener_runner
    runner.listener_start_handler = _AsController(runner.listener_start_handler)
    app.action("press")(for_open_request()(listener))
    return app


class _AsController(ListenerStartHandler):
    """Gives the listener the controller once its session is open, as the staff middleware
    gives the staff member who pressed."""

    def __init__(self, opens: ListenerStartHandler) -> None:
        self.opens = opens

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        self.opens.handle(request, response)
        session = request.context["session"]
        request.context["staff"] = staff.find(session=session, slack_user_id="UCONTROL")


def filed(database: Database, *, closed: bool) -> int:
    with database.transaction() as session:
        controller = add_staff(session, "UCONTROL", Role.CONTROLLER)
        filing = RequestFiling(
            kind=RequestKind.ACCESS,
            channel=RequestChannel.EMAIL,
            received_on=date(2026, 11, 2),
            requester_name="Testi Esimerkki",
            filing_key="k1",
        )
        step = requests.file_request_once(
            session=session, actor=controller, filing=filing, today=date(2026, 11, 2)
        )
        send_alerts(session=session, request=step.request)
        if closed:
            requests.reject(
                session=session, actor=controller, request_id=step.request.id, reason="Ei."
            )
        return step.request.id


def press(app: App, request_id: int) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "UCONTROL"},
        "team": {"id": "T1"},
        "trigger_id": "1.2.3",
        "actions": [{"action_id": "press", "type": "button", "value": str(request_id)}],
    }
    body = "payload=" + json.dumps(payload)
    app.dispatch(
        BoltRequest(body=body, headers={"content-type": ["application/x-www-form-urlencoded"]})
    )


def updates(database: Database) -> int:
    with database.transaction() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REQUEST_UPDATE)
        )
        return len(list(rows))


def test_an_open_request_is_given_to_the_listener_by_name(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    seen: list[tuple[int, str]] = []

    def listener(request: RequestView, body: dict[str, Any]) -> None:
        seen.append((request.id, body["trigger_id"]))

    request_id = filed(database, closed=False)
    press(app_with(database, slack_api, listener), request_id)

    assert seen == [(request_id, "1.2.3")]
    assert updates(database) == 0


def test_a_closed_request_is_shown_as_it_stands_and_the_listener_not_run(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    seen: list[RequestView] = []

    def listener(request: RequestView) -> None:
        seen.append(request)

    request_id = filed(database, closed=True)
    press(app_with(database, slack_api, listener), request_id)

    assert seen == []
    assert updates(database) == 1  # the controller's alert refreshed, committed
