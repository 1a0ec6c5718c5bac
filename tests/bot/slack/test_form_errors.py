"""A form's input model raises what is wrong; the one error handler answers Slack with each
message beside its field, or, when the answer comes late, on top of the form."""

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.requests.inputs import REASON_REQUIRED, read_reason
from bot.slack import transactions as unit_of_work
from bot.slack.errors import error_handler
from bot.slack.i18n import translator
from bot.slack.late_answer import dispatch_within
from bot.slack.middleware import provide
from storage.db import Database
from storage.models import Staff
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble

FINNISH = translator("fi")
FORM = {
    "id": "V1",
    "type": "modal",
    "callback_id": "reason_form",
    "title": {"type": "plain_text", "text": "Syy"},
    "submit": {"type": "plain_text", "text": "Tallenna"},
    "blocks": [
        {
            "type": "input",
            "block_id": "reason",
            "label": {"type": "plain_text", "text": "Syy"},
            "element": {"type": "plain_text_input", "action_id": "reason", "multiline": True},
        }
    ],
}


def app_with(database: Database, slack_api: SlackWebApiDouble) -> App:
    app = App(
        client=WebClient(token="xoxb-test", base_url=slack_api.base_url),
        request_verification_enabled=False,
        token_verification_enabled=False,
        process_before_response=True,
        logger=logging.getLogger(__name__),
    )
    app.use(provide(t=FINNISH))
    app.error(error_handler)
    unit_of_work.install(app, database)

    @app.view("reason_form")
    def save_reason(ack: Ack, view: dict[str, Any], session: Session) -> None:
        session.add(Staff(slack_user_id="UWRITTEN", role=Role.ADVISOR))
        session.flush()
        read_reason(view["state"]["values"], "reason")
        ack()

    return app


def submission(typed: str) -> BoltRequest:
    view = FORM | {"state": {"values": {"reason": {"reason": {"type": "x", "value": typed}}}}}
    payload = {"type": "view_submission", "user": {"id": "U1"}, "team": {"id": "T1"}, "view": view}
    return BoltRequest(
        body="payload=" + json.dumps(payload),
        headers={"content-type": ["application/x-www-form-urlencoded"]},
    )


def written(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(Staff)) or 0


def test_a_raised_form_error_is_answered_beside_its_field_and_saves_nothing(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    response = app_with(database, slack_api).dispatch(submission("  "))

    assert response.status == 200
    assert json.loads(response.body) == {
        "response_action": "errors",
        "errors": {"reason": FINNISH(REASON_REQUIRED)},
    }
    assert FINNISH(REASON_REQUIRED) != REASON_REQUIRED
    assert written(database) == 0


def test_a_late_form_error_is_put_on_top_of_the_form(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    app = app_with(database, slack_api)
    answered = threading.Event()

    def after_the_neutral_answer(request: BoltRequest) -> BoltResponse:
        answered.wait()
        return app.dispatch(request)

    request = submission("  ")
    request.context["t"] = FINNISH
    with ThreadPoolExecutor(1) as executor:
        neutral = dispatch_within(after_the_neutral_answer, request, executor=executor, budget=0)
        answered.set()

    assert json.loads(neutral.body)["response_action"] == "update"
    (update,) = slack_api.calls_to("views.update")
    view = update.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert FINNISH(REASON_REQUIRED) in view["blocks"][0]["text"]["text"]
    assert view["blocks"][1]["block_id"] == "reason"
