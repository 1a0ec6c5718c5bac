"""The text types of every input model: what a staff member typed, refused when it holds control
characters. `SingleLine` is the default for text; `MultiLine` is for notes, details and reasons,
and keeps line feeds and tabs (a CR LF pair becomes a line feed)."""

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, TypeAdapter, ValidationError

from bot.slack.i18n import N_
from bot.slack.inputs.rules import rule_error
from storage.text_rules import has_control_characters

CONTROL_IN_LINE = N_(
    "Remove the control characters (line breaks, tabs, escape codes) from this field."
)
CONTROL_IN_TEXT = N_(
    "Remove the control characters (such as escape codes) from this text; line breaks are fine."
)
CONTROL_IN_COMMAND = N_(
    "The command contains control characters (line breaks, tabs or escape codes). "
    "Type it again on one line."
)


def _one_line(value: str) -> str:
    if has_control_characters(value, multiline=False):
        raise rule_error(CONTROL_IN_LINE)
    return value


def _unix_newlines(value: Any) -> Any:
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _lines(value: str) -> str:
    if has_control_characters(value, multiline=True):
        raise rule_error(CONTROL_IN_TEXT)
    return value


SingleLine = Annotated[str, AfterValidator(_one_line)]
MultiLine = Annotated[str, BeforeValidator(_unix_newlines), AfterValidator(_lines)]

_SINGLE_LINE: TypeAdapter[str] = TypeAdapter(SingleLine)
_MULTI_LINE: TypeAdapter[str] = TypeAdapter(MultiLine)


def control_problem(value: str | None, *, multiline: bool = False) -> str | None:
    """The N_-marked field error for a text outside a model, or None when it may be kept."""
    if value is None:
        return None
    try:
        (_MULTI_LINE if multiline else _SINGLE_LINE).validate_python(value)
    except ValidationError as error:
        return str(error.errors()[0]["msg"])
    return None
