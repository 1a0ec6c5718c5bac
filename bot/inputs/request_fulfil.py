"""What fulfilling a request needs from the controller: the reason for a restriction."""

from typing import Any

from bot.i18n import N_
from bot.ids import RESTRICTION_REASON
from bot.inputs.view_state import FieldErrors, typed_text

REASON_MAX_LENGTH = 1000

REASON_REQUIRED = N_("Give the reason for the restriction.")
REASON_TOO_LONG = N_("The reason can be at most 1000 characters.")


def read_restriction_reason(values: dict[str, Any]) -> str | FieldErrors:
    reason = typed_text(values, RESTRICTION_REASON, multiline=True)
    if isinstance(reason, FieldErrors):
        return reason
    if reason is None:
        return FieldErrors({RESTRICTION_REASON: REASON_REQUIRED})
    if len(reason) > REASON_MAX_LENGTH:
        return FieldErrors({RESTRICTION_REASON: REASON_TOO_LONG})
    return reason
