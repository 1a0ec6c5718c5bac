"""What a form's input model reads from a submission."""

from collections.abc import Callable
from typing import Any

from slack_sdk.models.views import View

from bot.slack.inputs.view_state import InvalidForm


def outcome(read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What `read` returns, or the messages by block_id of the InvalidForm it raises."""
    try:
        return read(*args, **kwargs)
    except InvalidForm as invalid:
        return invalid.messages


def input_ids(view: View) -> list[tuple[str, str]]:
    """Each input block of a modal as (block_id, the action_id of its element), in order."""
    return [
        (block["block_id"], block["element"]["action_id"])
        for block in view.to_dict()["blocks"]
        if block["type"] == "input"
    ]
