"""The person a button names in its value, parsed once, before the listener runs: the
listener takes it by name as `person_id`.

Only the id: reading the person needs the listener's transaction, which opens after the
middleware, and each listener reads them for its own purpose (the card, the edit form, a
meeting, a request), which the audit trail records."""

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.customers.inputs import PersonButton


def person_named(
    context: BoltContext, body: dict[str, Any], next: Callable[[], None]
) -> BoltResponse | None:
    """Listener middleware for a button whose value is a person id; a value that is not one
    is refused as any bad input is, by the error handler."""
    action = (body.get("actions") or [{}])[0]
    context["person_id"] = PersonButton.parse(action.get("value")).person_id
    return next()  # type: ignore[func-returns-value]
