"""One transaction per listener run, and what waits for its commit."""

from typing import Any
from urllib.parse import urlencode

from slack_bolt import Ack, App, BoltContext
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.slack import transactions as unit_of_work
from bot.slack.errors import error_handler
from bot.slack.i18n import translator
from bot.slack.middleware import provide
from bot.slack.transactions import after_commit
from storage.db import Database
from storage.models import Staff
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble


def app_with(database: Database, slack_api: SlackWebApiDouble, listener: Any) -> App:
    app = App(
        client=WebClient(token="xoxb-test", base_url=slack_api.base_url),
        request_verification_enabled=False,
        token_verification_enabled=False,
        process_before_response=True,
    )
    app.use(provide(t=translator("en")))
    app.error(error_handler)
    unit_of_work.install(app, database)
    app.command("/test")(listener)
    return app


def command(app: App, text: str) -> None:
    body = urlencode(
        {"command": "/test", "text": text, "user_id": "U1", "team_id": "T1", "channel_id": "C1"}
    )
    app.dispatch(BoltRequest(body=body, headers={}))


def staff_count(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(Staff)) or 0


def test_actions_run_after_the_commit_and_not_after_a_rollback(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    seen: list[tuple[str, int]] = []

    def listener(ack: Ack, command: dict[str, Any], session: Session, context: BoltContext) -> None:
        ack()
        session.add(Staff(slack_user_id=f"U{command['text'].upper()}", role=Role.ADVISOR))
        session.flush()
        after_commit(context, lambda: seen.append((command["text"], staff_count(database))))
        if command["text"] == "fails":
            raise RuntimeError("half way")

    app = app_with(database, slack_api, listener)
    command(app, "fails")
    command(app, "saves")

    assert seen == [("saves", 1)]  # ran once the row was there for others to read
    assert staff_count(database) == 1


def test_a_failing_action_leaves_the_work_saved(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    def listener(ack: Ack, session: Session, context: BoltContext) -> None:
        ack()
        session.add(Staff(slack_user_id="USAVED", role=Role.ADVISOR))
        after_commit(context, lambda: 1 / 0)  # type: ignore[func-returns-value]

    command(app_with(database, slack_api, listener), "x")

    assert staff_count(database) == 1


def test_a_call_to_slack_ends_the_transaction_first_and_after_commit_keeps_its_meaning(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    seen: list[str] = []
    during_call: list[bool] = []

    def listener(ack: Ack, session: Session, client: WebClient, context: BoltContext) -> None:
        ack()
        session.add(Staff(slack_user_id="UBEFORE", role=Role.ADVISOR))
        after_commit(context, lambda: seen.append("before"))
        client.chat_postMessage(channel="U1", text="hello")
        during_call.append(session.in_transaction())
        session.add(Staff(slack_user_id="UAFTER", role=Role.ADVISOR))
        after_commit(context, lambda: seen.append("after"))
        session.flush()
        raise RuntimeError("half way")

    command(app_with(database, slack_api, listener), "x")

    assert during_call == [False]  # the call found no transaction open
    with database.transaction() as session:
        saved = set(session.scalars(select(Staff.slack_user_id)))
    assert saved == {"UBEFORE"}  # committed before the call; the rest rolled back
    assert seen == ["before"]


def test_a_failed_listener_replying_through_slack_saves_nothing(
    database: Database, slack_api: SlackWebApiDouble
) -> None:
    def listener(ack: Ack, session: Session, context: BoltContext) -> None:
        ack()
        session.add(Staff(slack_user_id="UFAILED", role=Role.ADVISOR))
        session.flush()
        raise RuntimeError("half way")

    app = app_with(database, slack_api, listener)
    body = urlencode(
        {
            "command": "/test",
            "text": "x",
            "user_id": "U1",
            "team_id": "T1",
            "channel_id": "C1",
            "response_url": slack_api.url + "/response/T1/1/abc",
        }
    )
    app.dispatch(BoltRequest(body=body, headers={}))

    assert staff_count(database) == 0
