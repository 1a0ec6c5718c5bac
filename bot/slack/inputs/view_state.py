"""Reading a modal's submitted `view.state.values`, and the field errors a submission gets."""

from dataclasses import dataclass
from typing import Any

from bot.slack.inputs.text import control_problem


@dataclass(frozen=True)
class FieldErrors:
    """Messages (N_-marked) by block_id, for `response_action: errors`."""

    errors: dict[str, str]


def element(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    """The element state of a block; its action_id is the block_id, or it is the only one."""
    block = values.get(block_id) or {}
    found = block.get(block_id) or next(iter(block.values()), None)
    return found if isinstance(found, dict) else {}


def selected(element: dict[str, Any]) -> str | None:
    option = element.get("selected_option")
    return option.get("value") if isinstance(option, dict) else None


def text(element: dict[str, Any]) -> str | None:
    value = element.get("value")
    return value.strip() or None if isinstance(value, str) else None


def typed_text(
    values: dict[str, Any], block_id: str, *, multiline: bool = False
) -> str | FieldErrors | None:
    """A text input's value, stripped; a field error when it holds control characters (any in
    a one-line field, any but line feeds and tabs in a multi-line one)."""
    value = element(values, block_id).get("value")
    if isinstance(value, str) and multiline:
        value = value.replace("\r\n", "\n")
    typed = text({"value": value})
    problem = control_problem(typed, multiline=multiline)
    return FieldErrors({block_id: problem}) if problem else typed
