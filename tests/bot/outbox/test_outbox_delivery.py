"""Delivering the outbox: a job run again sends no reminder twice, two deliverers at once send
each message once, Slack's "not now" is retried after an injectable back-off, and a claim whose
deliverer died is taken over."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.jobs.runner import JobOutcome, run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import outbox
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.enums import OutboxKind, OutboxStatus, Role
from tests.bot.helpers.outbox import NOW, deliverer
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_meeting, add_person, add_staff

HELSINKI = ZoneInfo("Europe/Helsinki")
MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=HELSINKI)


def run(database: Database, settings: Settings, name: str, **kwargs: object) -> JobOutcome:
    client = build_web_client(settings)
    return run_job(name, database=database, client=client, settings=settings, **kwargs)  # type: ignore[arg-type]


def posts_to(slack_api: SlackWebApiDouble, channel: str) -> int:
    return len(
        [
            call
            for call in slack_api.calls_to("chat.postMessage")
            if call.args["channel"] == channel and call.injected is None
        ]
    )


def alarms_for(database: Database, *controllers: str) -> None:
    """Messages in the outbox, put there with no deliverer watching (as a process killed
    between its commit and its delivery leaves them)."""
    with database.transaction() as session:
        for slack_user_id in controllers:
            add_staff(session, slack_user_id, Role.CONTROLLER)
            outbox.enqueue(
                session=session,
                key=f"test:{slack_user_id}",
                kind=OutboxKind.AUDIT_BROKEN,
                recipient=slack_user_id,
                params={"event_id": 7},
            )
            outbox.forget_enqueued(session)


def statuses(database: Database) -> list[OutboxStatus]:
    with database.transaction() as session:
        return list(session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def follow_up_due(database: Database) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, "UADV1")
        person = add_person(session, "Maija", "Mallikas")
        met = datetime(2026, 11, 20, 10, 0, tzinfo=HELSINKI)
        add_meeting(session, person, advisor, met, follow_up_on=MORNING.date())


def test_a_job_run_again_sends_no_reminder_twice(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    follow_up_due(database)

    first = run(database, settings, "follow-ups", now=MORNING)
    again = run(database, settings, "follow-ups", now=MORNING, force=True)

    assert first.ran and again.ran
    assert posts_to(slack_api, "UADV1") == 1


def test_a_job_killed_after_its_commit_and_run_again_sends_its_reminder_once(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    """The first run commits and dies before it delivers (here: Slack is down, so the fast
    path delivers nothing); the operator runs it again; the clock delivers what is left."""
    follow_up_due(database)
    slack_api.inject("chat.postMessage", status=503, times=1000)
    run(database, settings, "follow-ups", now=MORNING)
    slack_api.clear_faults()

    again = run(database, settings, "follow-ups", now=MORNING, force=True)
    assert again.ran and posts_to(slack_api, "UADV1") == 0
    later = datetime.now(HELSINKI) + timedelta(hours=1)  # past the fast path's back-off
    delivered = run(database, settings, "outbox-delivery", now=later)
    nothing_left = run(database, settings, "outbox-delivery", now=later + timedelta(hours=1))

    assert delivered.summary.startswith("1 delivered")
    assert nothing_left.summary.startswith("0 delivered")
    assert posts_to(slack_api, "UADV1") == 1
    assert statuses(database) == [OutboxStatus.DELIVERED]


def test_two_deliverers_at_once_send_each_message_once(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    controllers = [f"UCTRL{n}" for n in range(6)]
    alarms_for(database, *controllers)
    start = threading.Barrier(2)

    def deliver() -> None:
        worker = deliverer(database, settings, batch=1)
        start.wait()
        worker.deliver_due(NOW)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(c.args["channel"] for c in slack_api.calls_to("chat.postMessage")) == controllers
    assert statuses(database) == [OutboxStatus.DELIVERED] * 6


def test_slack_not_now_is_retried_after_the_back_off(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    alarms_for(database, "UCTRL1")
    waits: list[int] = []

    def backoff(attempts: int) -> timedelta:
        waits.append(attempts)
        return timedelta(minutes=attempts)

    worker = deliverer(database, settings, backoff=backoff)
    slack_api.inject("chat.postMessage", status=429, retry_after=30)
    slack_api.inject("chat.postMessage", status=503)

    first = worker.deliver_due(NOW)
    too_soon = worker.deliver_due(NOW + timedelta(seconds=30))
    second = worker.deliver_due(NOW + timedelta(minutes=1))
    third = worker.deliver_due(NOW + timedelta(minutes=3))

    assert (first.retrying, too_soon.retrying, second.retrying) == (1, 0, 1)
    assert third.delivered == 1 and waits == [1, 2]
    assert [c.injected for c in slack_api.calls_to("chat.postMessage")] == ["429", "503", None]
    with database.transaction() as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.attempts == 3 and message.last_error is None


def test_a_claim_whose_deliverer_died_is_taken_over_after_a_while(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    alarms_for(database, "UCTRL1")
    with database.transaction() as session:
        (abandoned,) = outbox.claim(session=session, now=NOW)

    worker = deliverer(database, settings)
    assert worker.deliver_due(NOW + timedelta(minutes=1)).delivered == 0
    assert worker.deliver_due(NOW + outbox.ABANDONED_AFTER * 2).delivered == 1
    with database.transaction() as session:
        assert outbox.delivered(session=session, claimed=abandoned, now=NOW) is False
    assert len(slack_api.calls_to("chat.postMessage")) == 1
