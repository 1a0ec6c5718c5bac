"""The console on the test's database, typed at through its input and output streams."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.session import open_console
from bot.runtime.settings import Settings
from storage.db import Database
from tests.bot.console.terminal import Keyboard, Terminal


@pytest.fixture
def terminal(database: Database, tmp_path: Path) -> Iterator[Terminal]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database.url, default_language="en"
    )
    keyboard, screen = Keyboard(), io.StringIO()
    with open_console(
        settings, database, input=keyboard, output=screen, files_dir=tmp_path / "files"
    ) as console:
        yield Terminal(console, keyboard, screen)
