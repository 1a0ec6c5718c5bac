"""One transaction per listener run, opened and closed in the thread that runs the listener.

Middleware that reads the register for the request (who is asking) begins it early
(`begin_early`): the listener goes on in the same transaction, so a request takes one
connection from the pool and begins and ends one transaction. Begun early but never given to a
listener (refused, or nothing matched), it is closed when the dispatch ends
(`discard_unused`).

Bolt's middleware cannot wrap a listener (each calls `next()` and returns before the listener
runs, often in another thread), so the transaction hangs on the listener runner's start and
completion hooks. The listener takes it by name: `session`.

What must happen only once the work is saved (a confirmation, an alert) is handed to
`after_commit`: it runs when the listener is done, after its last commit, before its answer
goes out, and not at all when the work it follows is rolled back.

No transaction spans a call to Slack: the Web API client and `respond` the listener gets end
the transaction (commit, or roll back once the listener failed) before each call, and the
session begins a new one when it is next used. On SQLite the transaction begins as a reader
and takes the write lock at its first write (storage.db.Database.unit), so a listener that
only reads never queues behind a writer.

One transaction per lazy listener run: work that takes longer than Slack's three seconds
runs after the acknowledgement, in a thread of its own, and takes `session` by name as every
listener does.

Bolt runs a lazy function on a deep copy of the request's context, without the listener
runner's start and completion hooks, so neither the database (which cannot be copied) nor a
session reaches it. This runner puts them back, commits when the function returns, rolls back
when it raises, and tells the staff member by direct message what the error handler would
have told them. As in a listener, no transaction spans a call to Slack."""

import copy
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.context.respond import Respond
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_bolt.listener.listener_start_handler import ListenerStartHandler
from slack_bolt.request import BoltRequest
from slack_bolt.util.utils import get_arg_names_of_callable
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.runtime.logs import stack_without_messages
from bot.slack.error_messages import message_for
from storage import audit
from storage.db import Database
from storage.enums import AuditOutcome
from storage.errors import AuditedRefusal, NotFound

BEGUN = "unit_of_work_begun"
FAILED = "unit_of_work_failed"
REFUSALS = "unit_of_work_refusals"
# The kinds of record a staff member asked for and the register has not (or not in their
# agency: a forged id answers as a missing one, and is audited as one).
MISSING = "unit_of_work_missing"
AFTER_COMMIT = "unit_of_work_after_commit"
# Actions whose work an earlier commit of the same run saved: they run whatever follows.
SAVED_AFTER_COMMIT = "unit_of_work_saved_after_commit"

logger = logging.getLogger(__name__)


class OpenTransaction(ListenerStartHandler):
    """Opens the listener's transaction, acting for the agency of the request's workspace
    (`context["database"]`, bot.slack.workspaces)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        begun: Session | None = request.context.pop(BEGUN, None)
        database: Database = request.context.get("database", self.database)
        bind_session(request.context, begun or database.unit())


def begin_early(context: BoltContext, database: Database) -> Session:
    """The request's unit of work, begun before its listener runs; the listener takes it over."""
    session: Session | None = context.get(BEGUN)
    if session is None:
        session = context[BEGUN] = database.unit()
    return session


def discard_unused(context: BoltContext) -> None:
    """Closes (rolls back) a unit of work begun early that no listener took over."""
    session: Session | None = context.pop(BEGUN, None)
    if session is not None:
        session.close()


class CloseTransaction(ListenerCompletionHandler):
    def __init__(self, database: Database) -> None:
        self.database = database

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        session = request.context.pop("session", None)
        if session is None:
            return
        actions: list[Callable[[], None]] = request.context.pop(AFTER_COMMIT, [])
        saved: list[Callable[[], None]] = request.context.pop(SAVED_AFTER_COMMIT, [])
        try:
            if request.context.get(FAILED):
                session.rollback()
                actions = []
            else:
                session.commit()
        finally:
            session.close()
        for action in saved + actions:
            _run_after_commit(action)
        refusals: list[AuditedRefusal] = request.context.pop(REFUSALS, [])
        missing: list[str] = request.context.pop(MISSING, [])
        if refusals or missing:
            database: Database = request.context.get("database", self.database)
            with database.transaction() as audit_session:
                for refusal in refusals:
                    audit.record_refusal(session=audit_session, refusal=refusal)
                for kind in missing:
                    audit.record(
                        session=audit_session,
                        actor=request.context.user_id or "",
                        action=f"{kind}.not_found",
                        outcome=AuditOutcome.DENIED,
                    )


def bind_session(context: BoltContext, session: Session) -> None:
    """Gives the listener `session`, and a client and `respond` that end its transaction
    before each call to Slack."""
    context["session"] = session

    def end_transaction() -> None:
        end_before_slack(context, session)

    client = copy.copy(context.client)
    call = client.api_call

    def api_call(*args: Any, **kwargs: Any) -> Any:
        end_transaction()
        return call(*args, **kwargs)

    client.api_call = api_call  # type: ignore[method-assign]
    context["client"] = client
    context["respond"] = _EndingRespond(
        response_url=context.response_url, client=client, before=end_transaction
    )
    context.pop("say", None)  # built again, on this client, when first asked for


def end_before_slack(context: dict[str, Any], session: Session) -> None:
    """Ends the listener's transaction: committed, its after-commit actions kept to run at the
    end; rolled back instead when the listener has failed."""
    if not session.in_transaction():
        return
    if context.get(FAILED):
        session.rollback()
        context.pop(AFTER_COMMIT, None)
        return
    session.commit()
    context.setdefault(SAVED_AFTER_COMMIT, []).extend(context.pop(AFTER_COMMIT, []))


class _EndingRespond(Respond):
    def __init__(
        self, *, response_url: str | None, client: WebClient, before: Callable[[], None]
    ) -> None:
        super().__init__(response_url=response_url, proxy=client.proxy, ssl=client.ssl)
        self.before = before

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.before()
        return super().__call__(*args, **kwargs)


def _run_after_commit(action: Callable[[], None]) -> None:
    try:
        action()
    except Exception as error:  # the work is saved; a failed notice must not undo the answer
        logger.error("An action after the commit failed\n%s", stack_without_messages(error))


def after_commit(context: dict[str, Any], action: Callable[[], None]) -> None:
    """Runs `action` once the listener's transaction has committed; never if it rolls back."""
    context.setdefault(AFTER_COMMIT, []).append(action)


def mark_failed(context: dict[str, Any], error: Exception) -> None:
    """Called by the error handler: the listener's work must not be committed, but a refusal
    (a refused read, an act refused on a restricted person, a record asked for that the
    agency's register has not) is still written to the audit trail, also where a form's error
    beside its field was raised from it."""
    context[FAILED] = True
    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, AuditedRefusal):
        cause = cause.__cause__
    if cause is not None:
        context.setdefault(REFUSALS, []).append(cause)
    elif isinstance(error, NotFound) and context.get("staff") is not None:
        context.setdefault(MISSING, []).append(str(error) or "record")


def install(app: App, database: Database) -> None:
    app.listener_runner.listener_start_handler = OpenTransaction(database)
    app.listener_runner.listener_completion_handler = CloseTransaction(database)


class TransactionalLazyRunner(LazyListenerRunner):
    def __init__(self, database: Database, executor: Executor) -> None:
        self.logger = logger
        self.database = database
        self.executor = executor

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.executor.submit(self.run, function, request)

    def run(self, function: Callable[..., None], request: BoltRequest) -> None:
        context = request.context
        # The request's, acting for its agency: a copy of the context shares it.
        database: Database = context.setdefault("database", self.database)
        session = database.unit()
        bind_session(context, session)
        try:
            function(
                **build_required_kwargs(
                    logger=self.logger,
                    required_arg_names=get_arg_names_of_callable(function),
                    request=request,
                    response=None,
                    this_func=function,
                )
            )
            session.commit()
        except Exception as error:  # the edge of the thread: nothing above it would report it
            session.rollback()
            text = message_for(error, context["t"])
            if context.user_id:
                context.client.chat_postMessage(channel=context.user_id, text=text)
        finally:
            session.close()
            context.pop("session", None)


def install_lazy(app: App, database: Database) -> None:
    runner = app.listener_runner
    current = runner.lazy_listener_runner
    assert isinstance(current, ThreadLazyListenerRunner)
    runner.lazy_listener_runner = TransactionalLazyRunner(database, current.executor)


def finish_lazy_listeners(app: App) -> None:
    """Waits for the lazy listeners running or queued, and takes no more."""
    runner = app.listener_runner.lazy_listener_runner
    assert isinstance(runner, TransactionalLazyRunner)
    runner.executor.shutdown(wait=True)
