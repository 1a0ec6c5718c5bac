"""What the bot sent to Slack once its work after the answer is done."""

import threading
import time
from typing import Any

from tests.doubles.slack_web_api import SlackWebApiDouble, Upload

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
