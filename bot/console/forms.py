"""A modal as a form in the terminal: each input block asks for its value by its label, and the
answers become `view.state.values` as Slack would submit them."""

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.console.render import text_of

Ask = Callable[[str], str]
Search = Callable[[str, str, str], list[dict[str, Any]]]
CANCEL = "/cancel"
CLEAR = "-"
LONG_LIST = 20
SELECTS = ("static_select", "external_select", "radio_buttons")


class FormCancelled(Exception):
    """The person typed /cancel (or the input ended) inside a form."""


class InvalidAnswer(ValueError):
    pass


def input_blocks(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [block for block in view.get("blocks", []) if block.get("type") == "input"]


def fill(
    view: dict[str, Any],
    *,
    ask: Ask,
    say: Callable[[str], None],
    search: Search,
    zone: ZoneInfo,
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
        if errors and block_id in errors:
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
) -> dict[str, Any]:
    kind = element.get("type", "")
    if hint:
        say(f"  {hint}")
    options = _options(element)
    if len(options) > LONG_LIST:
        say(f"  ({len(options)} choices: type a name or a part of one)")
    elif kind in SELECTS or kind == "checkboxes":
        for number, option in enumerate(options, 1):
            say(f"  {number}. {text_of(option['text'])}")
    default = _initial_text(element, zone)
    suffix = ""
    if default:
        suffix = f" [{default}; Enter keeps it" + (", - clears it]" if optional else "]")
    elif optional:
        suffix = " (optional, Enter skips)"
    prompt = {
        "datepicker": f"{label} (YYYY-MM-DD or d.m.yyyy){suffix}: ",
        "datetimepicker": f"{label} (YYYY-MM-DD HH:MM){suffix}: ",
        "external_select": f"{label} (type to search){suffix}: ",
        "checkboxes": f"{label} (numbers, comma-separated){suffix}: ",
    }.get(kind, f"{label}{suffix}: ")
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
            say("  This field is required.")
            continue
        if kind == "external_select":
            found = search(answer)
            if not found:
                say("  Nothing found; try another search.")
                continue
            for number, option in enumerate(found, 1):
                say(f"  {number}. {text_of(option['text'])}")
            choice = ask("Choose a number: ").strip()
            if choice == CANCEL:
                raise FormCancelled
            try:
                return {"type": kind, "selected_option": _choose(found, choice)}
            except InvalidAnswer as error:
                say(f"  {error}")
                continue
        try:
            return _parse(element, answer, options, zone)
        except InvalidAnswer as error:
            say(f"  {error}")


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
            raise InvalidAnswer("Type a number.") from None
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
        raise InvalidAnswer("Type a date as YYYY-MM-DD or d.m.yyyy.") from None


def parse_date_time(text: str, zone: ZoneInfo) -> datetime:
    parts = text.strip().split()
    if len(parts) != 2:
        raise InvalidAnswer("Type a date and a time, e.g. 2026-11-27 14:30.")
    return datetime.combine(parse_date(parts[0]), _parse_time(parts[1]), tzinfo=zone)


def _parse_time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InvalidAnswer("Type a time as HH:MM.")
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
        raise InvalidAnswer(f"Which one: {names}?")
    raise InvalidAnswer(f"Choose a number from 1 to {len(options)}, or type a choice.")


def _initial_text(element: dict[str, Any], zone: ZoneInfo) -> str:
    if "initial_value" in element:
        return str(element["initial_value"])
    if "initial_option" in element:
        return text_of(element["initial_option"]["text"])
    if "initial_options" in element:
        return ", ".join(text_of(option["text"]) for option in element["initial_options"])
    if "initial_date" in element:
        return str(element["initial_date"])
    if "initial_date_time" in element:
        moment = datetime.fromtimestamp(int(element["initial_date_time"]), zone)
        return f"{moment:%Y-%m-%d %H:%M}"
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
