"""The messages the console has shown, each with a number that stays with it (an alert updated
in place keeps its number), so that the buttons of any recent message can still be pressed.
Each keeps where it went, not how that read when shown: the list reads it for whoever is acted
as then, in their language."""

from dataclasses import dataclass, field
from typing import Any

from bot.console.render import Button

RECENT_MESSAGES = 20


@dataclass
class Pressable:
    button: Button
    source: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Place:
    """Where a message went: a channel (a direct message's too), or a reply that only the staff
    member `only_for` sees; `updated` when it changed a message in place."""

    channel: str = ""
    only_for: str | None = None
    updated: bool = False


@dataclass
class ShownMessage:
    number: int
    where: Place
    first_line: str
    pressables: list[Pressable]
    key: tuple[str, str] | None  # channel and ts, for a message that can be updated


class History:
    def __init__(self, limit: int = RECENT_MESSAGES) -> None:
        self.limit = limit
        self.messages: list[ShownMessage] = []
        self._last_number = 0

    def remember(
        self,
        where: Place,
        lines: list[str],
        pressables: list[Pressable],
        key: tuple[str, str] | None,
    ) -> ShownMessage:
        """The message shown, as a new entry or, for an update, in place of the one it
        updates."""
        first_line = next((line.strip() for line in lines if line.strip()), "")
        for shown in self.messages:
            if key is not None and shown.key == key:
                shown.where, shown.first_line, shown.pressables = where, first_line, pressables
                return shown
        self._last_number += 1
        shown = ShownMessage(self._last_number, where, first_line, pressables, key)
        self.messages = [*self.messages, shown][-self.limit :]
        return shown

    def find(self, number: int) -> ShownMessage | None:
        return next((shown for shown in self.messages if shown.number == number), None)
