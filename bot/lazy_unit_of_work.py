"""One transaction per lazy listener run: work that takes longer than Slack's three seconds
runs after the acknowledgement, in a thread of its own, and takes `session` by name as every
listener does.

Bolt runs a lazy function on a deep copy of the request's context, without the listener
runner's start and completion hooks, so neither the database (which cannot be copied) nor a
session reaches it. This runner puts them back, commits when the function returns, rolls back
when it raises, and tells the staff member by direct message what the error handler would
have told them. As in a listener, no transaction spans a call to Slack.
"""

import logging
from collections.abc import Callable
from concurrent.futures import Executor

from slack_bolt import App
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.lazy_listener import LazyListenerRunner
from slack_bolt.lazy_listener.thread_runner import ThreadLazyListenerRunner
from slack_bolt.request import BoltRequest
from slack_bolt.util.utils import get_arg_names_of_callable

from bot.errors import message_for
from bot.i18n import translator
from bot.unit_of_work import bind_session
from storage.db import Database

logger = logging.getLogger(__name__)


class TransactionalLazyRunner(LazyListenerRunner):
    def __init__(self, database: Database, executor: Executor, default_language: str) -> None:
        self.logger = logger
        self.database = database
        self.executor = executor
        self.default_language = default_language

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        self.executor.submit(self.run, function, request)

    def run(self, function: Callable[..., None], request: BoltRequest) -> None:
        context = request.context
        context["database"] = self.database
        session = self.database.unit()
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
            t = context.get("t") or translator(self.default_language)
            text = message_for(error, t)
            if context.user_id:
                context.client.chat_postMessage(channel=context.user_id, text=text)
        finally:
            session.close()
            context.pop("session", None)


def install(app: App, database: Database, default_language: str) -> None:
    runner = app.listener_runner
    current = runner.lazy_listener_runner
    assert isinstance(current, ThreadLazyListenerRunner)
    runner.lazy_listener_runner = TransactionalLazyRunner(
        database, current.executor, default_language
    )
