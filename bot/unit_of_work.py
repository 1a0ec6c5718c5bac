"""One transaction per listener run, opened and closed in the thread that runs the listener.

Bolt's middleware cannot wrap a listener (each calls `next()` and returns before the listener
runs, often in another thread), so the transaction hangs on the listener runner's start and
completion hooks. The listener takes it by name: `session`.
"""

from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_bolt.listener.listener_start_handler import ListenerStartHandler
from slack_bolt.request import BoltRequest

from storage.db import Database

FAILED = "unit_of_work_failed"


class OpenTransaction(ListenerStartHandler):
    def __init__(self, database: Database) -> None:
        self.database = database

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        session = self.database.sessions()
        session.begin()
        request.context["session"] = session


class CloseTransaction(ListenerCompletionHandler):
    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        session = request.context.pop("session", None)
        if session is None:
            return
        try:
            if request.context.get(FAILED):
                session.rollback()
            else:
                session.commit()
        finally:
            session.close()


def mark_failed(context: dict[str, Any]) -> None:
    """Called by the error handler: the listener's work must not be committed."""
    context[FAILED] = True


def install(app: App, database: Database) -> None:
    app.listener_runner.listener_start_handler = OpenTransaction(database)
    app.listener_runner.listener_completion_handler = CloseTransaction()
