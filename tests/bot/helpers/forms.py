"""What a form's input model reads from a submission."""

from collections.abc import Callable
from typing import Any

from bot.slack.inputs.view_state import InvalidForm


def outcome(read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What `read` returns, or the messages by block_id of the InvalidForm it raises."""
    try:
        return read(*args, **kwargs)
    except InvalidForm as invalid:
        return invalid.messages
