"""Posting a scheduled reminder to one recipient.

A recipient Slack refuses (a staff member who left the workspace, an archived channel) is
logged by id and skipped, so the others still hear and the job's period is done; a Slack that
cannot be reached even after the client's retries fails the run, and the next run does it.
"""

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)


def post(client: WebClient, *, job: str, channel: str, text: str, **message: Any) -> bool:
    """True when Slack took the message."""
    try:
        client.chat_postMessage(channel=channel, text=text, **message)
    except SlackApiError as error:
        logger.warning("Job %s: no message to %s: %s", job, channel, error.response.get("error"))
        return False
    return True
