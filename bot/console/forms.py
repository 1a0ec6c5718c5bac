"""A modal as a form in the terminal: each input block asks for its value by its label, and the
answers become `view.state.values` as Slack would submit them. The form's own words (hints,
errors) are in the staff member's language, like the modal's."""

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.console.render import text_of
from bot.slack.i18n import N_, Translator

Ask = Callable[[str], str]
Search = Callable[[str, str, str], list[dict[str, Any]]]
CANCEL = "/cancel"
CLEAR = "-"
LONG_LIST = 20
SELECTS = ("static_select", "external_select", "radio_buttons")


class FormCancelled(Exception):
    """The person typed /cancel (or the input ended) inside a form."""


class InvalidAnswer(ValueError):
    """An answer the form cannot use: an N_-marked message and its parameters."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self, t: Translator) -> str:
        return t(self.message, **self.params)


REQUIRED = N_("This is required.")
NOTHING_FOUND = N_("Nothing found; try another search.")
NOT_A_NUMBER = N_("Type a number.")
NOT_A_DATE = N_("Type a date as d.m.yyyy or yyyy-mm-dd.")
NOT_A_DATE_AND_TIME = N_("Type a date and a time, e.g. 27.11.2026 14.30.")
NOT_A_TIME = N_("Type a time as hh.mm.")
WHICH_ONE = N_("Which one: %(names)s?")
NO_SUCH_CHOICE = N_("Choose a number from 1 to %(last)d, or type a choice.")


def input_blocks(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [block for block in view.get("blocks", []) if block.get("type") == "input"]


def fill(
    view: dict[str, Any],
    *,
    ask: Ask,
    say: Callable[[str], None],
    search: Search,
    zone: ZoneInfo,
    t: Translator,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The state values of `view`, asking for each input block (or, given `errors`, for only
    the failed ones again, keeping the other `answers`)."""
    state = dict(answers or {})
    for block in input_blocks(view):
        block_id = block["block_id"]
        if errors is not None and block_id not in errors:
            continue
        element = block["element"]
        label = text_of(block.get("label"))
        if errors and errors.get(block_id):
            say(f"! {label}: {errors[block_id]}")
        state[block_id] = {
            element.get("action_id", ""): ask_element(
                element,
                label=label,
                hint=text_of(block.get("hint")) if block.get("hint") else "",
                optional=bool(block.get("optional")),
                ask=ask,
                say=say,
                search=_searching(search, block_id, element.get("action_id", "")),
                zone=zone,
                t=t,
            )
        }
    return state


def _searching(search: Search, block_id: str, action_id: str) -> Callable[[str], list[Any]]:
    return lambda query: search(block_id, action_id, query)


def ask_element(
    element: dict[str, Any],
    *,
    label: str,
    hint: str,
    optional: bool,
    ask: Ask,
    say: Callable[[str], None],
    search: Callable[[str], list[dict[str, Any]]],
    zone: ZoneInfo,
    t: Translator,
) -> dict[str, Any]:
    kind = element.get("type", "")
    if hint:
        say(f"  {hint}")
    options = _options(element)
    if len(options) > LONG_LIST:
        say(
            "  "
            + t.n(
                "(%(count)d choice: type a name or a part of one)",
                "(%(count)d choices: type a name or a part of one)",
                len(options),
            )
        )
    elif kind in SELECTS or kind == "checkboxes":
        for number, option in enumerate(options, 1):
            say(f"  {number}. {text_of(option['text'])}")
    default = _initial_text(element, zone)
    prompt = _prompt(kind, label, default, optional=optional, t=t)
    while True:
        answer = ask(prompt).strip()
        if answer == CANCEL:
            raise FormCancelled
        if answer == CLEAR and optional:
            return _empty_state(kind)
        if not answer and default:
            return _initial_state(element)
        if not answer:
            if optional:
                return _empty_state(kind)
            say("  " + t(REQUIRED))
            continue
        if kind == "external_select":
            found = search(answer)
            if not found:
                say("  " + t(NOTHING_FOUND))
                continue
            for number, option in enumerate(found, 1):
                say(f"  {number}. {text_of(option['text'])}")
            choice = ask(t("Choose a number: ")).strip()
            if choice == CANCEL:
                raise FormCancelled
            try:
                return {"type": kind, "selected_option": _choose(found, choice)}
            except InvalidAnswer as error:
                say("  " + error.text(t))
                continue
        try:
            return _parse(element, answer, options, zone)
        except InvalidAnswer as error:
            say("  " + error.text(t))


def _prompt(kind: str, label: str, default: str, *, optional: bool, t: Translator) -> str:
    """The field's label, what to type for its kind, and what Enter does."""
    if default and optional:
        suffix = " " + t("[%(value)s; Enter keeps it, - clears it]", value=default)
    elif default:
        suffix = " " + t("[%(value)s; Enter keeps it]", value=default)
    elif optional:
        suffix = " " + t("(optional, Enter skips)")
    else:
        suffix = ""
    how = {
        "datepicker": t("(d.m.yyyy or yyyy-mm-dd)"),
        "datetimepicker": t("(d.m.yyyy hh.mm)"),
        "external_select": t("(type to search)"),
        "checkboxes": t("(numbers, comma-separated)"),
    }.get(kind)
    return f"{label} {how}{suffix}: " if how else f"{label}{suffix}: "


def _parse(
    element: dict[str, Any], answer: str, options: list[dict[str, Any]], zone: ZoneInfo
) -> dict[str, Any]:
    kind = element.get("type", "")
    if kind in SELECTS:
        return {"type": kind, "selected_option": _choose(options, answer)}
    if kind == "checkboxes":
        chosen = [_choose(options, part.strip()) for part in answer.split(",") if part.strip()]
        return {"type": kind, "selected_options": chosen}
    if kind == "datepicker":
        return {"type": kind, "selected_date": parse_date(answer).isoformat()}
    if kind == "datetimepicker":
        moment = parse_date_time(answer, zone)
        return {"type": kind, "selected_date_time": int(moment.timestamp())}
    if kind == "timepicker":
        return {"type": kind, "selected_time": _parse_time(answer).strftime("%H:%M")}
    if kind == "number_input":
        try:
            float(answer.replace(",", "."))
        except ValueError:
            raise InvalidAnswer(NOT_A_NUMBER) from None
        return {"type": kind, "value": answer.replace(",", ".")}
    return {"type": kind, "value": answer.replace("\\n", "\n")}


def parse_date(text: str) -> date:
    text = text.strip()
    try:
        if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidAnswer(NOT_A_DATE) from None


def parse_date_time(text: str, zone: ZoneInfo) -> datetime:
    parts = text.strip().split()
    if len(parts) != 2:
        raise InvalidAnswer(NOT_A_DATE_AND_TIME)
    return datetime.combine(parse_date(parts[0]), _parse_time(parts[1]), tzinfo=zone)


def _parse_time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidAnswer(NOT_A_TIME)
    return time(int(match.group(1)), int(match.group(2)))


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    if element.get("options"):
        return list(element["options"])
    return [option for group in element.get("option_groups", []) for option in group["options"]]


def _choose(options: list[dict[str, Any]], answer: str) -> dict[str, Any]:
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    wanted = answer.casefold()
    for option in options:
        if wanted in (option["value"].casefold(), text_of(option["text"]).casefold()):
            return option
    matching = [option for option in options if wanted in text_of(option["text"]).casefold()]
    if len(matching) == 1:
        return matching[0]
    if matching:
        names = ", ".join(text_of(option["text"]) for option in matching[:10])
        raise InvalidAnswer(WHICH_ONE, names=names)
    raise InvalidAnswer(NO_SUCH_CHOICE, last=len(options))


def _initial_text(element: dict[str, Any], zone: ZoneInfo) -> str:
    if "initial_value" in element:
        return str(element["initial_value"])
    if "initial_option" in element:
        return text_of(element["initial_option"]["text"])
    if "initial_options" in element:
        return ", ".join(text_of(option["text"]) for option in element["initial_options"])
    if "initial_date" in element:
        day = date.fromisoformat(str(element["initial_date"]))
        return f"{day.day}.{day.month}.{day.year}"
    if "initial_date_time" in element:
        moment = datetime.fromtimestamp(int(element["initial_date_time"]), zone)
        return f"{moment.day}.{moment.month}.{moment.year} {moment.hour}.{moment:%M}"
    return ""


def _initial_state(element: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type", "")
    if "initial_option" in element:
        return {"type": kind, "selected_option": element["initial_option"]}
    if "initial_options" in element:
        return {"type": kind, "selected_options": element["initial_options"]}
    if "initial_date" in element:
        return {"type": kind, "selected_date": element["initial_date"]}
    if "initial_date_time" in element:
        return {"type": kind, "selected_date_time": int(element["initial_date_time"])}
    return {"type": kind, "value": str(element.get("initial_value", ""))}


def is_empty(state: dict[str, Any]) -> bool:
    """Whether a field's state (by action id) holds no answer: nothing typed, chosen or
    ticked."""
    return not any(
        value for element in state.values() for name, value in element.items() if name != "type"
    )


def _empty_state(kind: str) -> dict[str, Any]:
    if kind in SELECTS:
        return {"type": kind, "selected_option": None}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": []}
    if kind == "datepicker":
        return {"type": kind, "selected_date": None}
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": None}
    return {"type": kind, "value": None}
