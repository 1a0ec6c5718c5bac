"""Typed errors as the message a staff member reads; anything else as a reference id that is
in the log, with no personal data beside it. Shared by the error handler (bot.slack.errors)
and the lazy listeners' runner (bot.slack.transactions)."""

import logging
import secrets
from collections.abc import Callable

from bot.runtime.logs import stack_without_messages
from bot.slack.i18n import N_
from storage.errors import (
    ConsentRequired,
    ControlCharacters,
    DatabaseTimeout,
    InvalidRequest,
    LastAdmin,
    NotFound,
    PermissionDenied,
    PersonRestricted,
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
RESTRICTED_PERSON = N_(
    "The person's data is restricted (Art 18): it is only stored, so this cannot be done. "
    "A contact person for register matters can lift it on the person's card, once the person "
    "has been told."
)
MESSAGES: dict[type[RegisterError], str] = {
    PersonRestricted: RESTRICTED_PERSON,
    NotFound: N_("That record no longer exists."),
    PermissionDenied: NOT_PERMITTED,
    ConsentRequired: N_(
        "A relationship on the legal basis of consent needs a consent in force: record the "
        "consent first."
    ),
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
