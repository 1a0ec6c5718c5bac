"""Block Kit as readable text: sections, fields, context, dividers, headers, with each button
numbered so it can be pressed."""

import re
from dataclasses import dataclass
from typing import Any

LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>|<([@#!]?)([^<>]*)>")


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    block_id: str
    value: str


@dataclass
class Rendered:
    lines: list[str]
    buttons: list[Button]


def unescape(text: str) -> str:
    """Slack's mrkdwn for a terminal: links and mentions as their text, entities decoded."""

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            return match.group(2)
        sigil, target = match.group(3), match.group(4)
        return f"@{target}" if sigil == "@" else target

    text = LINK.sub(replace, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_of(obj: Any) -> str:
    if isinstance(obj, dict):
        return unescape(str(obj.get("text", "")))
    return unescape(str(obj or ""))


def render_blocks(blocks: list[dict[str, Any]], *, first_number: int = 1) -> Rendered:
    """The blocks as lines; buttons numbered from `first_number` in the order shown."""
    rendered = Rendered(lines=[], buttons=[])
    for block in blocks:
        kind = block.get("type")
        block_id = str(block.get("block_id", ""))
        if kind == "header":
            title = text_of(block.get("text"))
            rendered.lines += [title, "=" * len(title)]
        elif kind == "divider":
            rendered.lines.append("-" * 40)
        elif kind == "section":
            if block.get("text"):
                rendered.lines += text_of(block["text"]).splitlines() or [""]
            for item in block.get("fields") or []:
                rendered.lines.append("  " + text_of(item).replace("\n", " "))
            _elements(rendered, [block.get("accessory")], block_id, first_number)
        elif kind == "context":
            parts = [text_of(e) for e in block.get("elements", []) if e.get("type") != "image"]
            rendered.lines.append("  (" + " · ".join(parts) + ")")
        elif kind == "actions":
            _elements(rendered, block.get("elements") or [], block_id, first_number)
        elif kind == "rich_text":
            rendered.lines.append(_rich_text(block))
    return rendered


def render_message(
    text: str, blocks: list[dict[str, Any]] | None, *, first_number: int = 1
) -> Rendered:
    if blocks:
        return render_blocks(blocks, first_number=first_number)
    return Rendered(lines=unescape(text).splitlines(), buttons=[])


def _elements(rendered: Rendered, elements: list[Any], block_id: str, first_number: int) -> None:
    labels = []
    for element in elements:
        if not isinstance(element, dict) or element.get("type") != "button":
            continue
        number = first_number + len(rendered.buttons)
        button = Button(
            label=text_of(element.get("text")),
            action_id=str(element.get("action_id", "")),
            block_id=block_id,
            value=str(element.get("value", "")),
        )
        rendered.buttons.append(button)
        labels.append(f"[{number}] {button.label}")
    if labels:
        rendered.lines.append("  " + "   ".join(labels))


def _rich_text(block: dict[str, Any]) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "text" in node and isinstance(node["text"], str):
                parts.append(node["text"])
            for child in node.get("elements", []):
                walk(child)

    walk(block)
    return "".join(parts)
