"""What the import's command line returns to a test (tests/bot/imports/conftest.py runs it), and
the report an import writes."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


Cli = Callable[..., Ran]


def report(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))
