"""An Events API event retried by Slack (same `event_id`, `X-Slack-Retry-Num`) runs its listener
once, however many deliveries come and whenever they come."""

import threading
from datetime import UTC, datetime

from sqlalchemy import func, select

from storage.db import Database
from storage.models import AuditEvent, HandledEvent
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import Reply, SlackSender
from tests.people import add_meeting, add_person, add_staff

ADVISOR = "UADVISOR1"
HOME_OPENED = {"type": "app_home_opened", "user": ADVISOR, "channel": "D1", "tab": "home"}
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def home_views(database: Database) -> int:
    with database.transaction() as session:
        query = select(func.count()).where(AuditEvent.action == "home.view")
        return session.scalar(query) or 0


def seed(database: Database) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, ADVISOR)
        person = add_person(session, "Maija", "Mallikas")
        add_meeting(session, person, advisor, datetime(2026, 11, 2, 9, tzinfo=UTC))


def test_a_retried_event_is_acknowledged_and_not_run_again(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database
) -> None:
    seed(database)

    first = slack.event(HOME_OPENED, event_id="Ev0HOME0001")
    retry = slack.event(HOME_OPENED, event_id="Ev0HOME0001", headers=RETRY)
    other = slack.event(HOME_OPENED, event_id="Ev0HOME0002")

    assert (first.status, retry.status, other.status) == (200, 200, 200)
    assert len(slack_api.calls_to("views.publish")) == 2  # the first and the other, not the retry
    assert home_views(database) == 2
    with database.transaction() as session:
        handled = session.scalars(select(HandledEvent.event_id).order_by(HandledEvent.id))
        assert list(handled) == ["Ev0HOME0001", "Ev0HOME0002"]


def test_a_retry_racing_the_first_delivery_runs_once(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database
) -> None:
    seed(database)
    start = threading.Barrier(2)
    replies: list[Reply] = []

    def deliver(headers: dict[str, str] | None) -> None:
        start.wait()
        replies.append(slack.event(HOME_OPENED, event_id="Ev0HOME0003", headers=headers))

    threads = [threading.Thread(target=deliver, args=(h,)) for h in (None, RETRY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [reply.status for reply in replies] == [200, 200]
    assert len(slack_api.calls_to("views.publish")) == 1
    assert home_views(database) == 1
