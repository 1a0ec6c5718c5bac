"""The one error type of the input rules (text and dates), so that every reader shows the rule's
own message on the block it concerns."""

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

INPUT_RULE = "input_rule"


def rule_error(message: str) -> PydanticCustomError:
    """A field error whose message is `message`, an N_-marked text without placeholders."""
    return PydanticCustomError(INPUT_RULE, message)


def rule_message(detail: ErrorDetails) -> str | None:
    """The N_-marked message of an input rule's error, else None."""
    return detail["msg"] if detail["type"] == INPUT_RULE else None


Model = TypeVar("Model", bound=BaseModel)


def validate_each_field(
    model: type[Model], raw: dict[str, Any], *, fallbacks: Mapping[str, str], today: Any
) -> tuple[Model, dict[str, str]]:
    """The form's values with every invalid field left empty, and an N_-marked message for each
    invalid one by name: the rule's own, else the field's message in `fallbacks`. So a form
    reports every problem at once, and the checks that need several fields still run."""
    try:
        return model.model_validate(raw, context={"today": today}), {}
    except ValidationError as error:
        details = {str(detail["loc"][0]): detail for detail in error.errors()}
    errors = {name: rule_message(detail) or fallbacks[name] for name, detail in details.items()}
    valid = {name: None if name in details else value for name, value in raw.items()}
    return model.model_validate(valid, context={"today": today}), errors
