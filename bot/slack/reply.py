"""A message seen by one staff member alone, delivered where their request came from.

`reply_privately` is for refusals and errors: the returned BoltResponse is the acknowledgement
Slack gets. `send_privately` confirms what a submitted form did.
"""

import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View
from slack_sdk.webhook import WebhookClient

from bot.slack.response_urls import is_slacks
from bot.slack.text import escaped, excerpt

logger = logging.getLogger(__name__)

# Slack's limit on an option's text; the value of an option that stands for no record.
OPTION_TEXT_LIMIT = 75
NO_CHOICE = "none"


NOTICE_SHOWN = 3000


def notice_modal(text: str, *, title: str) -> View:
    return View(type="modal", title=title, blocks=[SectionBlock(text=escaped(text, NOTICE_SHOWN))])


def notice_home(text: str) -> View:
    return View(type="home", blocks=[SectionBlock(text=escaped(text, NOTICE_SHOWN))])


def reply_privately(*, body: dict[str, Any], context: BoltContext, text: str) -> BoltResponse:
    payload_type = body.get("type")
    if "command" in body:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
    if payload_type == "block_suggestion":
        # The select's list is the one place to say it: one option that chooses no one.
        shown = excerpt(text, OPTION_TEXT_LIMIT)
        notice = {"text": {"type": "plain_text", "text": shown}, "value": NO_CHOICE}
        return BoltResponse(status=200, body={"options": [notice]})
    if payload_type == "view_submission":
        # Pushed on top, so closing it returns to the form with everything still typed in.
        view = notice_modal(text, title=context["t"]("The register")).to_dict()
        return BoltResponse(status=200, body={"response_action": "push", "view": view})
    user_id = context.user_id
    if payload_type == "event_callback":
        event = body.get("event", {})
        if event.get("type") == "app_home_opened" and user_id:
            context.client.views_publish(user_id=user_id, view=notice_home(text))
        return BoltResponse(status=200, body="")
    if context.response_url and context.respond:
        context.respond(text=text, response_type="ephemeral", replace_original=False)
    elif context.channel_id and user_id:
        context.client.chat_postEphemeral(channel=context.channel_id, user=user_id, text=text)
    elif user_id:
        context.client.chat_postMessage(channel=user_id, text=text)
    return BoltResponse(status=200, body="")


def send_privately(
    client: WebClient, *, user_id: str, response_url: str | None, text: str
) -> tuple[str, str] | None:
    """Through the response_url of what opened the form, else as a direct message: then its
    channel and ts, for a message that must be found again. The response_url came back in
    private_metadata: one that is not Slack's is dropped."""
    if response_url and not is_slacks(response_url, api_url=client.base_url):
        logger.warning("Dropped a response_url that is not Slack's, for staff %s", user_id)
        response_url = None
    if response_url and _respond(response_url, text):
        return None
    posted = client.chat_postMessage(channel=user_id, text=text)
    return str(posted["channel"]), str(posted["ts"])


def _respond(response_url: str, text: str) -> bool:
    try:
        response = WebhookClient(response_url).send(
            text=text, response_type="ephemeral", replace_original=False
        )
    except OSError:  # the URL is unreachable; the direct message still gets through
        return False
    return response.status_code == 200
