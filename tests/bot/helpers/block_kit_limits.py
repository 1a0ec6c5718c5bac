"""Slack's Block Kit limits that slack_sdk's own validation does not check, as problems found
in what a builder returns.

The numbers come from Slack's reference: those it states in the rules of `../shared/slack`
through `tests.slack_reference.limit`, the rest from the Block Kit reference pages (blocks,
block elements, composition objects) and `chat.postMessage`'s. A problem names where it is
(a JSON pointer) and what broke, never the text itself.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from tests.slack_reference import limit

MESSAGE_BLOCKS = limit("message_blocks")  # 50
VIEW_BLOCKS = limit("view_blocks")  # 100
SECTION_TEXT = limit("section_text")  # 3000
SECTION_FIELDS = limit("fields")  # 10
FIELD_TEXT = 2000  # section block: "Maximum length for the text in each item is 2000"
CONTEXT_ELEMENTS = 10  # context block: "Maximum number of items is 10"
TEXT_OBJECT = 3000  # text object: "Maximum length for this field is 3000 characters"
HEADER_TEXT = 150  # header block: "Maximum length for the text in this field is 150"
ACTIONS_ELEMENTS = 25  # actions block: "There is a maximum of 25 elements"
BUTTON_TEXT = limit("button_text")  # 75
BUTTON_VALUE = limit("button_value")  # 2000
SELECT_OPTIONS = limit("options")  # 100
OPTION_GROUPS = 100  # "maximum number of 100 option groups with a maximum of 100 options"
OPTION_TEXT = limit("option_text")  # 75
OPTION_VALUE = limit("option_value")  # 150
OPTION_GROUP_LABEL = 75
CHOICE_OPTIONS = 10  # checkboxes and radio buttons: "Maximum number of options is 10"
INPUT_LABEL = 2000  # input block: label and hint at most 2000
PLAIN_TEXT_INPUT = 3000  # plain_text_input: max_length at most 3000
BLOCK_ID = 255
ACTION_ID = 255
PLACEHOLDER = 150
MODAL_TEXT = limit("modal_text")  # 24: title, submit, close
PRIVATE_METADATA = limit("private_metadata")  # 3000
CALLBACK_ID = limit("callback_id")  # 255
MESSAGE_TEXT = 4000  # chat.postMessage: "limit the text to 4,000 characters"

Problems = list[str]


def _text(node: Any) -> str:
    if isinstance(node, dict):
        return str(node.get("text", ""))
    return "" if node is None else str(node)


def sdk_problems(objects: Iterable[JsonObject]) -> Problems:
    """slack_sdk's own checks: to_dict() runs each object's validate_json."""
    problems = []
    for index, obj in enumerate(objects):
        try:
            obj.to_dict()
        except Exception as error:  # slack_sdk raises SlackObjectFormationError and others
            problems.append(f"/{index}: slack_sdk refused it: {type(error).__name__}: {error}")
    return problems


def message_problems(text: str | None, blocks: Sequence[Block] | None = None) -> Problems:
    """A message as chat.postMessage / chat.update / an ephemeral response sends it."""
    problems = []
    if text is not None and len(text) > MESSAGE_TEXT:
        problems.append(f"/text: message text {len(text)} > {MESSAGE_TEXT}")
    if blocks is not None:
        problems += sdk_problems(blocks)
        problems += blocks_problems([b.to_dict() for b in blocks], MESSAGE_BLOCKS, "/blocks")
    return problems


def view_problems(view: View) -> Problems:
    problems = sdk_problems([view])
    if problems:
        return problems
    data = view.to_dict()
    most = VIEW_BLOCKS
    for name in ("title", "submit", "close"):
        if name in data and not 1 <= len(_text(data[name])) <= MODAL_TEXT:
            problems.append(f"/{name}: {len(_text(data[name]))} chars, 1-{MODAL_TEXT}")
    if len(data.get("private_metadata") or "") > PRIVATE_METADATA:
        problems.append(f"/private_metadata: {len(data['private_metadata'])} > {PRIVATE_METADATA}")
    if len(data.get("callback_id") or "") > CALLBACK_ID:
        problems.append(f"/callback_id > {CALLBACK_ID}")
    blocks = data.get("blocks", [])
    if any(block.get("type") == "input" for block in blocks):
        if "submit" not in data:
            problems.append("/submit: a modal with inputs needs one")
        # A form answered late comes back with a notice on top (bot/slack/late_answer.py).
        most -= 1
    return problems + blocks_problems(blocks, most, "/blocks")


def options_problems(options: Sequence[JsonObject], most: int = SELECT_OPTIONS) -> Problems:
    """The options an external select's listener answers with."""
    problems = sdk_problems(options)
    if len(options) > most:
        problems.append(f"/options: {len(options)} > {most}")
    for i, option in enumerate(options):
        problems += _option_problems(option.to_dict(), f"/options/{i}")
    return problems


def blocks_problems(blocks: list[dict[str, Any]], most: int, pointer: str) -> Problems:
    problems = []
    if len(blocks) > most:
        problems.append(f"{pointer}: {len(blocks)} blocks > {most}")
    for i, block in enumerate(blocks):
        problems += _block_problems(block, f"{pointer}/{i}")
    return problems


def _over(length: int, most: int, where: str, what: str) -> Problems:
    return [f"{where}: {what} {length} > {most}"] if length > most else []


def _block_problems(block: dict[str, Any], where: str) -> Problems:
    kind = block.get("type")
    problems = _over(len(block.get("block_id") or ""), BLOCK_ID, where, "block_id")
    if kind == "section":
        problems += _over(len(_text(block.get("text"))), SECTION_TEXT, where, "section text")
        fields = block.get("fields") or []
        problems += _over(len(fields), SECTION_FIELDS, where, "fields")
        for i, field in enumerate(fields):
            problems += _over(len(_text(field)), FIELD_TEXT, f"{where}/fields/{i}", "field text")
        if "accessory" in block:
            problems += _element_problems(block["accessory"], f"{where}/accessory")
    elif kind == "context":
        elements = block.get("elements") or []
        problems += _over(len(elements), CONTEXT_ELEMENTS, where, "context elements")
        for i, element in enumerate(elements):
            if element.get("type") in ("mrkdwn", "plain_text"):
                problems += _over(
                    len(_text(element)), TEXT_OBJECT, f"{where}/elements/{i}", "context text"
                )
    elif kind == "header":
        problems += _over(len(_text(block.get("text"))), HEADER_TEXT, where, "header text")
    elif kind == "actions":
        elements = block.get("elements") or []
        problems += _over(len(elements), ACTIONS_ELEMENTS, where, "actions elements")
        for i, element in enumerate(elements):
            problems += _element_problems(element, f"{where}/elements/{i}")
    elif kind == "input":
        problems += _over(len(_text(block.get("label"))), INPUT_LABEL, where, "label")
        problems += _over(len(_text(block.get("hint"))), INPUT_LABEL, where, "hint")
        problems += _element_problems(block["element"], f"{where}/element")
    return problems


def _element_problems(element: dict[str, Any], where: str) -> Problems:
    kind = element.get("type")
    problems = _over(len(element.get("action_id") or ""), ACTION_ID, where, "action_id")
    problems += _over(len(_text(element.get("placeholder"))), PLACEHOLDER, where, "placeholder")
    if kind == "button":
        problems += _over(len(_text(element.get("text"))), BUTTON_TEXT, where, "button text")
        problems += _over(len(str(element.get("value", ""))), BUTTON_VALUE, where, "button value")
    elif kind == "plain_text_input":
        most = element.get("max_length")
        initial = element.get("initial_value") or ""
        if most is not None:
            problems += _over(most, PLAIN_TEXT_INPUT, where, "max_length")
            problems += _over(len(initial), most, where, "initial_value longer than max_length")
        else:
            problems += _over(len(initial), PLAIN_TEXT_INPUT, where, "initial_value")
    elif kind in ("static_select", "multi_static_select"):
        problems += _select_problems(element, where)
    elif kind in ("checkboxes", "radio_buttons"):
        options = element.get("options") or []
        problems += _over(len(options), CHOICE_OPTIONS, where, f"{kind} options")
        for i, option in enumerate(options):
            problems += _option_problems(option, f"{where}/options/{i}")
    for name in ("initial_option",):
        if name in element:
            problems += _option_problems(element[name], f"{where}/{name}")
    return problems


def _select_problems(element: dict[str, Any], where: str) -> Problems:
    options = element.get("options") or []
    groups = element.get("option_groups") or []
    problems = _over(len(options), SELECT_OPTIONS, where, "options")
    problems += _over(len(groups), OPTION_GROUPS, where, "option groups")
    grouped = [option for group in groups for option in group.get("options") or []]
    # Slack's reference reads both as 100 options in each group and as 100 in all: only what
    # it is sure to accept passes.
    problems += _over(len(grouped), SELECT_OPTIONS, where, "options in all option groups")
    for g, group in enumerate(groups):
        problems += _over(
            len(_text(group.get("label"))), OPTION_GROUP_LABEL, f"{where}/{g}", "group label"
        )
    for i, option in enumerate(options + grouped):
        problems += _option_problems(option, f"{where}/options/{i}")
    initial = element.get("initial_option")
    if initial is not None and initial.get("value") not in {
        o.get("value") for o in options + grouped
    }:
        problems.append(f"{where}/initial_option: not among the options")
    return problems


def _option_problems(option: dict[str, Any], where: str) -> Problems:
    problems = _over(len(_text(option.get("text"))), OPTION_TEXT, where, "option text")
    problems += _over(len(str(option.get("value", ""))), OPTION_VALUE, where, "option value")
    return problems
