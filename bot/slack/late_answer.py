"""Slack's answer within its three seconds, however slow the database.

Each request is dispatched (middleware, listener, commit) in a worker. If it is done within
`budget` seconds, Slack gets its answer as the listener gave it. If not (the database is slow:
another transaction holds a lock the request needs), Slack gets a neutral answer at once and
the listener's answer follows when it is ready, after the commit: a slash command's through
its response_url, a form's into the modal, which the neutral answer kept open. Nothing the
listener says is shown before its work, and its audit rows, are committed.
"""

import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk.models.blocks import ContextBlock, PlainTextObject, SectionBlock
from slack_sdk.webhook import WebhookClient

from bot.runtime.logs import stack_without_messages
from bot.slack.i18n import N_, Translator
from bot.slack.text import mrkdwn_escape

# Slack waits three seconds for its answer; what is left covers the network.
ACK_BUDGET_SECONDS = 2.0

WORKING = N_("Working on it: the register is busy. The result will appear here.")
DONE = N_("Done. You can close this window.")
# The keys of a view that views.update takes; Slack's own (id, hash, state, …) are not among them.
VIEW_KEYS = (
    "type",
    "title",
    "submit",
    "close",
    "blocks",
    "private_metadata",
    "callback_id",
    "clear_on_close",
    "notify_on_close",
    "external_id",
)

logger = logging.getLogger(__name__)


class _Outcome:
    """The dispatch's answer, given to Slack in time or delivered late, never both."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.response: BoltResponse | None = None
        self.late = False

    def finish(self, response: BoltResponse) -> bool:
        """Whether the answer is late and must be delivered by other means."""
        with self.lock:
            self.response = response
            self.done.set()
            return self.late

    def give_up(self) -> bool:
        """Whether Slack gets the neutral answer (False: the real one arrived just now)."""
        with self.lock:
            self.late = not self.done.is_set()
            return self.late


def dispatch_within(
    dispatch: Callable[[BoltRequest], BoltResponse],
    request: BoltRequest,
    *,
    executor: Executor,
    budget: float,
) -> BoltResponse:
    outcome = _Outcome()

    def work() -> None:
        try:
            response = dispatch(request)
        except Exception as error:  # dispatch answers errors itself; this is a last resort
            logger.error("Dispatch failed\n%s", stack_without_messages(error))
            response = BoltResponse(status=500, body="")
        if outcome.finish(response):
            _deliver_late(request, response)

    executor.submit(work)
    if outcome.done.wait(budget) or not outcome.give_up():
        assert outcome.response is not None
        return outcome.response
    return _neutral(request, request.context["t"])


def _neutral(request: BoltRequest, t: Translator) -> BoltResponse:
    body = request.body
    if body.get("type") == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    if body.get("type") == "view_submission":
        working = _with_notice(body["view"], t(WORKING))
        return BoltResponse(status=200, body={"response_action": "update", "view": working})
    return BoltResponse(status=200, body="")


def _with_notice(view: dict[str, Any], notice: str) -> dict[str, Any]:
    """The submitted view as it was (its inputs keep what was typed: same block and action
    ids), with a notice on top."""
    same = {key: view[key] for key in VIEW_KEYS if key in view}
    top = ContextBlock(elements=[PlainTextObject(text=notice)]).to_dict()
    same["blocks"] = [top, *view.get("blocks", [])]
    return same


def _deliver_late(request: BoltRequest, response: BoltResponse) -> None:
    try:
        _deliver(request, response, request.context["t"])
    except Exception as error:  # the thread's edge: nothing above it would report it
        logger.error("A late answer could not be delivered\n%s", stack_without_messages(error))


def _deliver(request: BoltRequest, response: BoltResponse, t: Translator) -> None:
    if response.status != 200:
        return
    body, context = request.body, request.context
    answer = json.loads(response.body) if response.body else {}
    if "command" in body and answer:
        if context.response_url:
            WebhookClient(context.response_url).send_dict(
                {"response_type": "ephemeral", **answer, "replace_original": False}
            )
        elif context.channel_id and context.user_id:
            context.client.chat_postEphemeral(
                channel=context.channel_id, user=context.user_id, **answer
            )
    elif body.get("type") == "view_submission":
        context.client.views_update(view_id=body["view"]["id"], view=_late_view(body, answer, t))


def _late_view(body: dict[str, Any], answer: dict[str, Any], t: Translator) -> dict[str, Any]:
    action = answer.get("response_action")
    if action in ("update", "push"):
        view: dict[str, Any] = answer["view"]
        return view
    submitted = body["view"]
    if action == "errors":
        # Slack shows errors beside their fields only in its answer; late, they go on top.
        errors = "\n".join(f"• {mrkdwn_escape(text)}" for text in answer["errors"].values())
        view = {key: submitted[key] for key in VIEW_KEYS if key in submitted}
        view["blocks"] = [SectionBlock(text=errors).to_dict(), *submitted.get("blocks", [])]
        return view
    return {key: submitted[key] for key in ("type", "title", "callback_id") if key in submitted} | {
        "blocks": [SectionBlock(text=t(DONE)).to_dict()]
    }
