"""The command line of the import, for the tests of this package."""

import io
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime.cli import main
from storage.db import Database
from tests.bot.helpers.import_cli import Cli, Ran
from tests.databases import CHAIN_KEY


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    database: Database,
) -> Iterator[Cli]:
    """`python -m bot ARGS` against the test's database, in `tmp_path`."""
    for key in list(os.environ):
        if key.startswith(("SLACK_", "DATABASE_URL", "ADMIN_USER_IDS")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DATABASE_URL", database.url)
    monkeypatch.setenv("AUDIT_CHAIN_KEY", CHAIN_KEY.decode())
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def run(*args: str, stdin: bytes | None = None) -> Ran:
        with monkeypatch.context() as scoped:
            if stdin is not None:
                scoped.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
            capsys.readouterr()
            returncode = main(list(args))
            out, err = capsys.readouterr()
        return Ran(returncode, out, err)

    yield run
    root.handlers[:], root.level = handlers, level
