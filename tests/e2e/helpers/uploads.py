"""What the bot sent to Slack once its work after the answer is done."""

import threading
import time
from typing import Any

from bot.slack.transactions import TransactionalLazyRunner
from tests.doubles.slack_web_api import SlackWebApiDouble, Upload
from tests.e2e.harness import InProcessServer, SlackSender

UPLOAD_WAIT_SECONDS = 30


def uploads_when_done(slack_api: SlackWebApiDouble, count: int) -> list[Upload]:
    """The lazy listener's uploads, once it has made `count` of them."""
    deadline = time.monotonic() + UPLOAD_WAIT_SECONDS
    while len(slack_api.uploads) < count and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    return list(slack_api.uploads)


def messages_when_done(slack_api: SlackWebApiDouble, channel: str) -> list[dict[str, Any]]:
    """The direct messages to `channel`, once there is one."""
    deadline = time.monotonic() + UPLOAD_WAIT_SECONDS

    def sent() -> list[dict[str, Any]]:
        calls = slack_api.calls_to("chat.postMessage")
        return [call.args for call in calls if call.args["channel"] == channel]

    while not sent() and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    return sent()


def lazy_work_done(slack: SlackSender) -> None:
    """Waits until the work after every answer so far (the lazy listeners) has ended, for a
    test that something did not follow. The App in process takes no more such work after it."""
    assert isinstance(slack.server, InProcessServer)
    runner = slack.server.app.listener_runner.lazy_listener_runner
    assert isinstance(runner, TransactionalLazyRunner)
    runner.executor.shutdown(wait=True)
