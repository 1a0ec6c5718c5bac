"""The new-person form sent twice (a double click, Slack's retry, two submissions at once)
creates one person, and each submission is answered with that person's card."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Connection, func, select, text

from bot.slack.ids import PERSON_CARD
from storage.db import Database
from storage.models import AuditEvent, Person
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import Reply, SlackSender
from tests.e2e.helpers.person_form import ADVISOR, TESTI, add_staff, open_new_form, submit


def persons(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


def creations(database: Database) -> int:
    with database.transaction() as session:
        query = select(func.count()).where(AuditEvent.action == "person.create")
        return session.scalar(query) or 0


def test_the_form_sent_again_gets_the_first_ones_card(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    form = open_new_form(slack, slack_api, user_id=ADVISOR)

    first = submit(slack, form, TESTI, user_id=ADVISOR).json()
    again = submit(slack, form, TESTI, user_id=ADVISOR).json()

    assert first["response_action"] == again["response_action"] == "update"
    assert first["view"]["callback_id"] == again["view"]["callback_id"] == PERSON_CARD
    assert first["view"]["private_metadata"] == again["view"]["private_metadata"]
    assert persons(database) == 1 and creations(database) == 1


@contextmanager
def audit_trail_held(database: Database) -> Iterator[Connection]:
    """PostgreSQL: holds a lock on the audit trail that every append waits for, so that both
    submissions get past their duplicate check, and wait, before either commits."""
    with database.engine.connect() as connection, connection.begin():
        connection.execute(text("LOCK TABLE audit_events IN EXCLUSIVE MODE"))
        with database.engine.connect() as watcher:
            yield watcher.execution_options(isolation_level="AUTOCOMMIT")


def wait_until_blocked(connection: Connection, count: int) -> None:
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(1000):
        if (connection.execute(waiting).scalar() or 0) >= count:
            return
        time.sleep(0.01)
    raise AssertionError("the submissions never reached the lock")


def test_two_submissions_at_once_create_one_person(
    slack: SlackSender, slack_api: SlackWebApiDouble, database: Database
) -> None:
    add_staff(database, ADVISOR, Role.ADVISOR)
    form = open_new_form(slack, slack_api, user_id=ADVISOR)
    start = threading.Barrier(2)
    replies: list[Reply] = []

    def send() -> None:
        start.wait()
        replies.append(submit(slack, form, TESTI, user_id=ADVISOR))

    threads = [threading.Thread(target=send) for _ in range(2)]
    on_postgresql = database.backend == "postgresql"
    with audit_trail_held(database) if on_postgresql else nullcontext() as held:
        for thread in threads:
            thread.start()
        if held is not None:
            wait_until_blocked(held, 2)
    for thread in threads:
        thread.join()

    assert persons(database) == 1 and creations(database) == 1
    answers = [reply.json() for reply in replies]
    assert [answer["view"]["callback_id"] for answer in answers] == [PERSON_CARD, PERSON_CARD]
    assert answers[0]["view"]["private_metadata"] == answers[1]["view"]["private_metadata"]
