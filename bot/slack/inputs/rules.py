"""The one error type of the input rules (text and dates), so that every reader shows the rule's
own message on the block it concerns."""

from pydantic_core import ErrorDetails, PydanticCustomError

INPUT_RULE = "input_rule"


def rule_error(message: str) -> PydanticCustomError:
    """A field error whose message is `message`, an N_-marked text without placeholders."""
    return PydanticCustomError(INPUT_RULE, message)


def rule_message(detail: ErrorDetails) -> str | None:
    """The N_-marked message of an input rule's error, else None."""
    return detail["msg"] if detail["type"] == INPUT_RULE else None
