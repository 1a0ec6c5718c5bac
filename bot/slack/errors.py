"""The one error handler: typed errors become a message the staff member reads; anything else
gets a reference id that is in the log, with no personal data beside it."""

import logging
import secrets
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.runtime.logs import stack_without_messages
from bot.slack.i18n import N_, translator
from bot.slack.reply import reply_privately
from bot.slack.transactions import mark_failed
from storage.errors import (
    ControlCharacters,
    DatabaseTimeout,
    InvalidRequest,
    LastAdmin,
    NotFound,
    PermissionDenied,
    RegisterError,
    SearchTooLong,
)

logger = logging.getLogger(__name__)


class UserInputError(RegisterError):
    """What the staff member typed cannot be used; `message` is an N_-marked text."""

    code = "user_input"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(self.code)
        self.message = message
        self.params = params


NOT_PERMITTED = N_("Sorry, your role does not allow this.")
MESSAGES: dict[type[RegisterError], str] = {
    NotFound: N_("That record no longer exists."),
    PermissionDenied: NOT_PERMITTED,
    InvalidRequest: N_("That cannot be done in the record's current state."),
    LastAdmin: N_("The register must keep at least one active admin."),
    ControlCharacters: N_(
        "Nothing was saved: a text contains control characters (such as a line break in a "
        "one-line field or an escape code). Remove them and try again."
    ),
    SearchTooLong: N_("That search is too long. Shorten it and try again."),
    DatabaseTimeout: N_(
        "The register did not answer in time, so this was not done. Try again in a moment."
    ),
}
UNEXPECTED = N_("Something went wrong and nothing was saved. Reference: %(reference)s")


def message_for(error: Exception, t: Callable[..., str]) -> str:
    if isinstance(error, UserInputError):
        return t(error.message, **error.params)
    for error_type, message in MESSAGES.items():
        if isinstance(error, error_type):
            return t(message)
    reference = secrets.token_hex(4)
    logger.error("Unhandled error, reference %s\n%s", reference, stack_without_messages(error))
    return t(UNEXPECTED, reference=reference)


def error_handler(default_language: str) -> Callable[..., BoltResponse]:
    """The app's one error handler; before the staff member is known it speaks the default."""

    def handle_error(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse:
        mark_failed(context, error)
        translate = context.get("t") or translator(default_language)
        return reply_privately(body=body, context=context, text=message_for(error, translate))

    return handle_error
