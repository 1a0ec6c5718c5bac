"""The direction of imports: bot/ uses storage's functions, view objects and enums, never its
ORM models; storage/ never knows Slack or the bot."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> Iterator[tuple[str, str]]:
    """(file, module) for every import in every module of `package`."""
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield str(path.relative_to(ROOT)), alias.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield str(path.relative_to(ROOT)), node.module


def within(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def test_the_bot_never_reaches_into_storages_models() -> None:
    reaching = [
        f"{path}: {module}"
        for path, module in imported_modules("bot")
        if within(module, "storage.models")
    ]
    assert reaching == [], "use storage's functions and storage.enums instead"


def test_storage_knows_neither_slack_nor_the_bot() -> None:
    knowing = [
        f"{path}: {module}"
        for path, module in imported_modules("storage")
        if within(module, "slack_sdk", "slack_bolt", "bot")
    ]
    assert knowing == []


def test_tests_share_helpers_through_helper_modules_only() -> None:
    # A test module or a conftest imported elsewhere runs its tests or fixtures twice over.
    borrowing = [
        f"{path}: {module}"
        for path, module in imported_modules("tests")
        if within(module, "tests")
        and (module.rsplit(".", 1)[-1].startswith("test_") or module.endswith(".conftest"))
    ]
    assert borrowing == [], "move what is shared into a helper module"
