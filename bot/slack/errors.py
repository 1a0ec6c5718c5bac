"""The one error handler: typed errors become a message the staff member reads; anything else
gets a reference id that is in the log, with no personal data beside it."""

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.slack.error_messages import message_for
from bot.slack.i18n import translator
from bot.slack.reply import reply_privately
from bot.slack.transactions import mark_failed


def error_handler(default_language: str) -> Callable[..., BoltResponse]:
    """The app's one error handler; before the staff member is known it speaks the default."""

    def handle_error(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse:
        mark_failed(context, error)
        translate = context.get("t") or translator(default_language)
        return reply_privately(body=body, context=context, text=message_for(error, translate))

    return handle_error
