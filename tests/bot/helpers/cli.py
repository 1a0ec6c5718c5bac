"""`python -m bot ARGS` run by `main` in the test's process, as an operator runs it (the
fixture `cli` of tests/bot/conftest.py)."""

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.runtime.cli import main


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]


def run_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[Cli]:
    """`python -m bot ARGS` with ENV, run by `main` in this process, in `tmp_path`, with the
    environment `run_bot` gives a process."""
    for key in list(os.environ):
        if key.startswith(("SLACK_", "DATABASE_URL", "ADMIN_USER_IDS")):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def run(*args: str, **env: str) -> Ran:
        with monkeypatch.context() as scoped:
            for key, value in env.items():
                scoped.setenv(key, value)
            capsys.readouterr()
            returncode = main(list(args))
            out, err = capsys.readouterr()
        return Ran(returncode, out, err)

    yield run
    root.handlers[:], root.level = handlers, level
