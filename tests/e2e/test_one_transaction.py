"""A request reads who is asking in its own transaction: one connection from the pool and one
transaction per request, and none left open when the request is refused or nothing answers."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from storage.db import Database
from tests.e2e.harness import ADMIN, SlackSender


@contextmanager
def pool_use(database: Database) -> Iterator[dict[str, int]]:
    """Checkouts, checkins and transactions begun by the threads that dispatch requests."""
    counts = {"checkout": 0, "checkin": 0, "begin": 0}

    def counter(name: str) -> Any:
        def count(*_: Any) -> None:
            if threading.current_thread().name.startswith("dispatch"):
                counts[name] += 1

        return count

    listeners = [
        (database.engine.pool, "checkout", counter("checkout")),
        (database.engine.pool, "checkin", counter("checkin")),
        (database.engine, "begin", counter("begin")),
    ]
    for target, name, listener in listeners:
        event.listen(target, name, listener)
    try:
        yield counts
    finally:
        for target, name, listener in listeners:
            event.remove(target, name, listener)


def test_a_search_takes_one_connection_and_one_transaction(
    slack: SlackSender, database: Database
) -> None:
    slack.command("/asiakas", "mallikas", user_id=ADMIN)  # warm: the pool has its connection

    with pool_use(database) as counts:
        reply = slack.command("/asiakas", "mallikas", user_id=ADMIN)

    assert reply.status == 200
    assert counts == {"checkout": 1, "checkin": 1, "begin": 1}


def test_a_refused_request_gives_its_connection_back(
    slack: SlackSender, database: Database
) -> None:
    with pool_use(database) as counts:
        slack.command("/asiakas", "mallikas", user_id="USTRANGER")

    assert counts["checkout"] == counts["checkin"] > 0


def test_a_request_no_listener_answers_gives_its_connection_back(
    slack: SlackSender, database: Database
) -> None:
    with pool_use(database) as counts:
        reply = slack.command("/tuntematon", "mallikas", user_id=ADMIN)

    assert reply.status == 404
    assert counts["checkout"] == counts["checkin"] == 1
