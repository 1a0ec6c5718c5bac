"""A reader follows any slash command from the endpoint to the SQL and back through at most
six files: the endpoint (bot/runtime/web.py), the app (bot/app.py), the listener's module, the
modules of its matchers, and the modules whose functions and classes the listener calls by
name: its input model, its storage functions, its Block Kit builders.

Work a listener leaves to a lazy function (a report's files, after Slack has its answer) is a
path of its own, through the same endpoint and matchers, in a transaction of its own."""

import ast
import inspect
import textwrap
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from slack_bolt import App

from bot.app import create_app
from bot.runtime.settings import Settings
from storage.db import Database

ENDPOINT = ("bot.runtime.web", "bot.app")
MAX_FILES = 6
PROJECT = ("bot.", "storage.")


def command_paths(app: App) -> Iterator[tuple[list[Callable[..., Any]], Callable[..., Any]]]:
    """Each slash-command listener's matchers, and a function it runs: its ack function, and
    each of its lazy functions."""
    for listener in app._listeners:
        builtin, *custom = listener.matchers  # type: ignore[attr-defined]
        if builtin.func.__qualname__ != "command.<locals>.func":
            continue
        matchers = [matcher.func for matcher in custom]
        for function in (listener.ack_function, *listener.lazy_functions):  # type: ignore[attr-defined]
            yield matchers, function


def called_names(function: Callable[..., Any]) -> Iterator[str]:
    """The first name of each call in the function: `f` of `f()`, `m` of `m.f()`."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            target = node.func
            while isinstance(target, ast.Attribute):
                target = target.value
            if isinstance(target, ast.Name):
                yield target.id


def module_of(function: Callable[..., Any], name: str) -> str | None:
    found = function.__globals__.get(name) or inspect.getclosurevars(function).nonlocals.get(name)
    if isinstance(found, types.ModuleType):
        return found.__name__
    return getattr(found, "__module__", None)


def files_read(matchers: list[Callable[..., Any]], function: Callable[..., Any]) -> set[str]:
    modules = {*ENDPOINT, function.__module__, *(matcher.__module__ for matcher in matchers)}
    for name in called_names(function):
        module = module_of(function, name)
        if module and module.startswith(PROJECT):
            modules.add(module)
    return modules


def test_every_slash_command_is_read_through_at_most_six_files(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'register.db'}", audit_chain_key=b"k" * 32)
    settings = Settings(_env_file=None, slack_bot_token="xoxb-test", slack_signing_secret="s")  # type: ignore[call-arg]
    app = create_app(settings, database, token_verification_enabled=False)
    paths = {
        f"{function.__module__}.{function.__name__}": sorted(files_read(matchers, function))
        for matchers, function in command_paths(app)
    }
    assert len(paths) >= 10, "every slash command's listeners are found"
    too_long = {name: files for name, files in paths.items() if len(files) > MAX_FILES}
    assert too_long == {}, "\n".join(f"{name}: {files}" for name, files in too_long.items())
    database.dispose()
