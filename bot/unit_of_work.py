"""One transaction per listener run, opened and closed in the thread that runs the listener.

Bolt's middleware cannot wrap a listener (each calls `next()` and returns before the listener
runs, often in another thread), so the transaction hangs on the listener runner's start and
completion hooks. The listener takes it by name: `session`.

What must happen only once the work is saved (a confirmation, an alert) is handed to
`after_commit`: it runs after the commit, still before Slack gets its answer, and not at all
when the work is rolled back.
"""

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_bolt.listener.listener_start_handler import ListenerStartHandler
from slack_bolt.request import BoltRequest

from bot.logs import stack_without_messages
from storage import audit
from storage.db import Database
from storage.errors import RefusedRead

FAILED = "unit_of_work_failed"
REFUSALS = "unit_of_work_refusals"
AFTER_COMMIT = "unit_of_work_after_commit"

logger = logging.getLogger(__name__)


class OpenTransaction(ListenerStartHandler):
    def __init__(self, database: Database) -> None:
        self.database = database

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        session = self.database.sessions()
        session.begin()
        request.context["session"] = session


class CloseTransaction(ListenerCompletionHandler):
    def __init__(self, database: Database) -> None:
        self.database = database

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        session = request.context.pop("session", None)
        if session is None:
            return
        actions: list[Callable[[], None]] = request.context.pop(AFTER_COMMIT, [])
        try:
            if request.context.get(FAILED):
                session.rollback()
                actions = []
            else:
                session.commit()
        finally:
            session.close()
        for action in actions:
            _run_after_commit(action)
        refusals: list[RefusedRead] = request.context.pop(REFUSALS, [])
        if refusals:
            with self.database.transaction() as audit_session:
                for refusal in refusals:
                    audit.record_refusal(session=audit_session, refusal=refusal)


def _run_after_commit(action: Callable[[], None]) -> None:
    try:
        action()
    except Exception as error:  # the work is saved; a failed notice must not undo the answer
        logger.error("An action after the commit failed\n%s", stack_without_messages(error))


def after_commit(context: dict[str, Any], action: Callable[[], None]) -> None:
    """Runs `action` once the listener's transaction has committed; never if it rolls back."""
    context.setdefault(AFTER_COMMIT, []).append(action)


def mark_failed(context: dict[str, Any], error: Exception) -> None:
    """Called by the error handler: the listener's work must not be committed, but a refused
    read is still written to the audit trail."""
    context[FAILED] = True
    if isinstance(error, RefusedRead):
        context.setdefault(REFUSALS, []).append(error)


def install(app: App, database: Database) -> None:
    app.listener_runner.listener_start_handler = OpenTransaction(database)
    app.listener_runner.listener_completion_handler = CloseTransaction(database)
