"""The console driven through its input and output streams, as a person types at it, and the
helpers its tests share to read what it showed."""

import io
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.console.console import Console
from bot.console.session import open_console
from bot.runtime.settings import Settings
from storage.db import Database

PACKAGE_WAIT_SECONDS = 30


class Keyboard(io.StringIO):
    """The lines a test types, read one at a time."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def readline(self, size: int | None = -1) -> str:
        return self.lines.pop(0) + "\n" if self.lines else ""


class Terminal:
    def __init__(self, console: Console, keyboard: Keyboard, screen: io.StringIO) -> None:
        self.console = console
        self.keyboard = keyboard
        self.screen = screen
        self.seen = 0

    def type(self, *lines: str) -> str:
        """Types the lines, a command and the answers its form asks for; returns what was shown."""
        self.keyboard.lines += lines
        while self.keyboard.lines:
            assert self.console.step()
        return self.shown()

    def shown_with(self, text: str) -> str:
        """What was shown until `text` was, waiting for the work after an answer to show it."""
        shown = self.shown()
        deadline = time.monotonic() + PACKAGE_WAIT_SECONDS
        while text not in shown and time.monotonic() < deadline:
            threading.Event().wait(0.05)
            shown += self.shown()
        return shown

    def shown(self) -> str:
        self.console.show_sent()
        text = self.screen.getvalue()[self.seen :]
        self.seen = len(self.screen.getvalue())
        return text


@contextmanager
def open_terminal(database: Database, files_dir: Path) -> Iterator[Terminal]:
    """A console session on the database, in English unless a staff member chooses."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database.url, default_language="en"
    )
    keyboard, screen = Keyboard(), io.StringIO()
    with open_console(
        settings, database, input=keyboard, output=screen, files_dir=files_dir
    ) as console:
        yield Terminal(console, keyboard, screen)


def files_when_saved(folder: Path, count: int) -> list[Path]:
    deadline = time.monotonic() + PACKAGE_WAIT_SECONDS
    while len(list(folder.glob("*"))) < count and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    return sorted(folder.glob("*"))


def received_today() -> str:
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    return f"{today.day}.{today.month}.{today.year}"


def number_of(shown: str, label: str) -> str:
    """The number of the last button labelled `label`: `3` of `[3] Start`, `2.1` of `[2.1]`."""
    found = re.findall(r"\[([\d.]+)\] " + re.escape(label), shown)
    assert found, shown
    return str(found[-1])
