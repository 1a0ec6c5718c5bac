"""Lists as Slack takes them: lines packed into sections of at most Slack's 3000 characters,
and every list capped, saying how many more there are."""

from collections.abc import Sequence
from typing import TypeVar

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.slack.i18n import Translator
from bot.slack.text import excerpt

Item = TypeVar("Item")

SECTION_TEXT = 3000  # Slack's limit on a section's text


def capped(items: Sequence[Item], shown: int) -> tuple[list[Item], int]:
    """The first `shown` items, and how many more there are."""
    return list(items[:shown]), max(0, len(items) - shown)


def more_text(count: int, t: Translator) -> str:
    """ "And 3 more.": the line under a capped list."""
    return t.n("And %(count)d more.", "And %(count)d more.", count)


def packed_sections(lines: Sequence[str], limit: int = SECTION_TEXT) -> list[SectionBlock]:
    """The lines in as few sections as hold them, each within `limit` characters; a single
    line longer than that is cut."""
    sections: list[SectionBlock] = []
    current: list[str] = []
    length = 0
    for line in (excerpt(line, limit) for line in lines):
        added = len(line) + (1 if current else 0)
        if current and length + added > limit:
            sections.append(_section(current))
            current, added = [], len(line)
            length = 0
        current.append(line)
        length += added
    if current:
        sections.append(_section(current))
    return sections


def _section(lines: list[str]) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))
