"""Reading a modal's submitted `view.state.values`, and the field errors a submission gets."""

from collections.abc import Callable, Mapping
from typing import Any

from bot.slack.error_messages import UserInputError
from bot.slack.inputs.text import control_problem

Message = str | tuple[str, dict[str, Any]]


class InvalidForm(UserInputError):
    """What is wrong with a submitted form, by block_id: N_-marked messages, with their
    parameters. Raised by an input model; the error handler answers `response_action: errors`
    with each message on its block."""

    def __init__(self, errors: Mapping[str, Message]) -> None:
        self.errors: dict[str, tuple[str, dict[str, Any]]] = {
            block_id: (message, {}) if isinstance(message, str) else message
            for block_id, message in errors.items()
        }
        first, params = next(iter(self.errors.values()), ("", {}))
        super().__init__(first, **params)

    @property
    def messages(self) -> dict[str, str]:
        """The messages by block_id, without their parameters."""
        return {block_id: message for block_id, (message, _) in self.errors.items()}

    def translated(self, t: Callable[..., str]) -> dict[str, str]:
        return {
            block_id: t(message, **params) for block_id, (message, params) in self.errors.items()
        }


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


def typed_text(values: dict[str, Any], block_id: str, *, multiline: bool = False) -> str | None:
    """A text input's value, stripped; InvalidForm when it holds control characters (any in
    a one-line field, any but line feeds and tabs in a multi-line one)."""
    value = element(values, block_id).get("value")
    if isinstance(value, str) and multiline:
        value = value.replace("\r\n", "\n")
    typed = text({"value": value})
    problem = control_problem(typed, multiline=multiline)
    if problem:
        raise InvalidForm({block_id: problem})
    return typed
