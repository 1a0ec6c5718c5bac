"""Every audit action that can name a person has words in the access package: a data subject
is never shown an action's code."""

import ast
import re
from pathlib import Path

from storage.vocabulary import CONSULTATIONS

ROOT = Path(__file__).resolve().parents[2]
ABOUT_A_PERSON = re.compile(r"^(person|consent|meeting|request|home|follow_up)\.[a-z_]+$")


def action_names() -> set[str]:
    found = set()
    for package in ("storage", "bot"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
                if is_text and ABOUT_A_PERSON.match(node.value):
                    found.add(node.value)
    return found


def test_every_action_about_a_person_is_told_in_words() -> None:
    names = action_names()
    assert "person.view" in names and "request.file" in names
    assert sorted(names - set(CONSULTATIONS)) == []
