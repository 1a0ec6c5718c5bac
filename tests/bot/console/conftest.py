"""The console on the test's database, typed at through its input and output streams."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.db import Database
from tests.bot.console.terminal import Terminal, open_terminal


@pytest.fixture
def terminal(database: Database, tmp_path: Path) -> Iterator[Terminal]:
    with open_terminal(database, tmp_path / "files") as terminal:
        yield terminal
