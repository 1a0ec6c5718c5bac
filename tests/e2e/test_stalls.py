"""No request waits for another's call to Slack, nor for a slow database, past Slack's 3 s."""

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from bot.app import create_app
from bot.runtime.settings import Settings
from bot.runtime.web import create_wsgi_app
from bot.slack.ids import PERSON_CARD, PERSON_FORM
from storage.db import Database
from storage.models.enums import Role
from tests.databases import CHAIN_KEY
from tests.doubles.slack_web_api import RESPONSE_URL, SlackWebApiDouble
from tests.e2e.harness import ADMIN, Reply, RunningServer, SlackSender
from tests.e2e.helpers.audit import search_audit
from tests.e2e.helpers.person_form import TESTI, open_new_form, submit
from tests.people import add_person, add_staff

ADVISOR = "UADVISOR1"
OTHER = "UADVISOR2"


@pytest.fixture
def register(database: Database) -> None:
    with database.transaction() as session:
        add_staff(session, ADVISOR, Role.ADVISOR)
        add_staff(session, OTHER, Role.ADVISOR)
        add_person(session, "Testi", "Virtanen")


def in_background(send: Callable[[], Reply]) -> tuple[threading.Thread, list[Reply]]:
    replies: list[Reply] = []
    thread = threading.Thread(target=lambda: replies.append(send()), daemon=True)
    thread.start()
    return thread, replies


def test_a_search_is_answered_while_another_request_waits_on_slack(
    register: None, slack: SlackSender, slack_api: SlackWebApiDouble
) -> None:
    held = slack_api.hold("views.open")
    meeting, meeting_replies = in_background(
        lambda: slack.command("/tapaaminen", "virtanen", user_id=ADVISOR)
    )
    assert held.arrived.wait(timeout=10)  # /tapaaminen searched, logged, and called Slack

    reply = slack.command("/asiakas", "virtanen", user_id=OTHER)

    assert not held.released.is_set()  # answered while the first still waits on Slack
    assert "Testi Virtanen" in json.dumps(reply.json(), ensure_ascii=False)
    held.release()
    meeting.join(timeout=20)
    # The form opened: the first request did not give up on Slack while the search waited.
    assert meeting_replies[0].status == 200 and meeting_replies[0].body == b""
    assert slack_api.wait_for("views.open")


@pytest.fixture
def quick(
    server: RunningServer, settings: Settings, database: Database, slack_api: SlackWebApiDouble
) -> Iterator[SlackSender]:
    """The bot answering Slack after 0.2 s at the latest (in production 2 s)."""
    running = RunningServer(
        create_wsgi_app(create_app(settings, database, ack_budget=0.2), database)
    )
    yield SlackSender(running, response_url=slack_api.url + "/response/T0TEST/1/abc")
    running.close()


@contextmanager
def write_lock_held(database: Database) -> Iterator[None]:
    """Another connection holds a lock that any write of the audit trail needs."""
    other = Database(database.url)
    try:
        with other.transaction() as session:
            if database.backend == "postgresql":
                # Reads go on; appends (ROW EXCLUSIVE) wait.
                session.execute(text("LOCK TABLE audit_events IN EXCLUSIVE MODE"))
            else:
                session.execute(text("SELECT 1"))  # begins, and so takes the lock
            yield
    finally:
        other.dispose()


def test_slack_gets_its_answer_while_the_database_is_locked_and_the_result_follows(
    register: None, quick: SlackSender, slack_api: SlackWebApiDouble, database: Database
) -> None:
    events: list[str] = []
    with write_lock_held(database):
        ack = quick.command("/asiakas", "virtanen", user_id=OTHER)
        events.append("ack")
        assert slack_api.calls_to(RESPONSE_URL) == []  # nothing shown before it is logged
    events.append("released")
    assert slack_api.wait_for(RESPONSE_URL)
    events.append("result")

    assert events == ["ack", "released", "result"]
    assert ack.status == 200 and ack.body == b""
    (result,) = slack_api.calls_to(RESPONSE_URL)
    assert result.args["response_type"] == "ephemeral"
    assert "Testi Virtanen" in json.dumps(result.args["blocks"], ensure_ascii=False)


def test_a_form_sent_while_the_database_is_locked_stays_open_and_becomes_the_card(
    register: None,
    slack: SlackSender,
    quick: SlackSender,
    slack_api: SlackWebApiDouble,
    database: Database,
) -> None:
    view = open_new_form(slack, slack_api, user_id=ADVISOR)

    with write_lock_held(database):
        ack = submit(quick, view, TESTI | {"first_name": "Toinen"}, user_id=ADVISOR).json()
        assert slack_api.calls_to("views.update") == []
    assert slack_api.wait_for("views.update")

    # Answered in time: the form stays open as it was, everything typed kept (same block ids).
    assert ack["response_action"] == "update"
    assert ack["view"]["callback_id"] == PERSON_FORM
    assert [b.get("block_id") for b in ack["view"]["blocks"][1:]] == [
        b.get("block_id") for b in view["blocks"]
    ]
    assert "rekisteri on kiireinen" in json.dumps(ack["view"]["blocks"][0], ensure_ascii=False)
    # Then, once saved, the same modal becomes the card.
    (update,) = slack_api.calls_to("views.update")
    assert update.args["view_id"] == view["id"]
    assert update.args["view"]["callback_id"] == PERSON_CARD
    assert "Toinen Virtanen" in json.dumps(update.args["view"], ensure_ascii=False)


def test_a_wait_past_the_time_limit_is_told_to_the_staff_member(
    register: None,
    server: RunningServer,
    settings: Settings,
    database: Database,
    slack_api: SlackWebApiDouble,
) -> None:
    limited = Database(database.url, audit_chain_key=CHAIN_KEY, statement_timeout_ms=100)
    running = RunningServer(create_wsgi_app(create_app(settings, limited, ack_budget=0.2), limited))
    slack = SlackSender(running, response_url=slack_api.url + "/response/T0TEST/1/abc")
    try:
        with write_lock_held(database):
            ack = slack.command("/asiakas", "virtanen", user_id=OTHER)
            # Told while the lock is still held (in the answer, or after it if the budget ran
            # out first): the wait was cut short, not waited out.
            if ack.body:
                told = ack.json()["text"]
            else:
                assert slack_api.wait_for(RESPONSE_URL)
                told = slack_api.calls_to(RESPONSE_URL)[0].args["text"]
    finally:
        running.close()
        limited.dispose()

    assert told == (
        "Rekisteri ei vastannut ajoissa, joten toimintoa ei tehty. Yritä hetken kuluttua uudelleen."
    )
    assert search_audit(database, OTHER) == []


def test_a_listener_that_only_reads_does_not_wait_for_a_writer(
    register: None, slack: SlackSender, database: Database
) -> None:
    with write_lock_held(database):
        reply = slack.command("/rekisteri", "henkilokunta", user_id=ADMIN)

        assert reply.json()["response_type"] == "ephemeral"
        listed = json.dumps(reply.json()["blocks"])
        assert ADVISOR in listed and OTHER in listed
