"""The one error handler: typed errors become a message the staff member reads, a submitted
form's each beside its field; anything else gets a reference id that is in the log, with no
personal data beside it."""

from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.slack.error_messages import message_for
from bot.slack.inputs.view_state import InvalidForm
from bot.slack.reply import reply_privately
from bot.slack.transactions import mark_failed


def error_handler(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse:
    """The app's one error handler; before the staff member is known it speaks the default."""
    mark_failed(context, error)
    if isinstance(error, InvalidForm) and body.get("type") == "view_submission":
        errors = error.translated(context["t"])
        return BoltResponse(status=200, body={"response_action": "errors", "errors": errors})
    return reply_privately(body=body, context=context, text=message_for(error, context["t"]))
