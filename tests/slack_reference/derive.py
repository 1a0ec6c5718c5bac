"""Writes `reference.json` from Slack's published data in `../shared/slack`.

Run `python -m tests.slack_reference.derive` (with `SLACK_SPEC_DIR` to read another copy)
when that data changes, or when the bot calls a Web API method or subscribes to an event it
did not before; with `--check` it writes nothing and fails when the file is out of date. Only
what the bot and the tests use is kept.
"""

import functools
import json
import re
import sys
from pathlib import Path
from typing import Any

from tests.slack_reference import REFERENCE_PATH, spec_dir
from tests.slack_reference.calls import PROJECT_ROOT, bot_methods

# Called by the tests and the Web API double beyond what the bot calls (the token check at
# start-up, Socket Mode's connection, the direct message channel, a user's locale, Bolt's OAuth
# flow exchanging its code), and what the double answers as Slack does (a file's deletion).
TEST_METHODS = frozenset(
    {
        "apps.connections.open",
        "auth.test",
        "chat.postEphemeral",
        "chat.postMessage",
        "chat.update",
        "conversations.open",
        "files.completeUploadExternal",
        "files.delete",
        "files.getUploadURLExternal",
        "oauth.v2.access",
        "users.info",
        "views.open",
        "views.publish",
        "views.push",
        "views.update",
    }
)
# Parts of Slack's recorded answers that the double never builds (other messages, files and
# lists attached to a message); left out of the shapes to keep the file small.
UNBUILT_KEYS = frozenset(
    {
        "assistant_app_thread",
        "attachments",
        "file",
        "latest",
        "list_metadata",
        "list_record",
        "list_records",
        "message_blocks",
    }
)
ENVELOPE = re.compile(r"^envelope_([a-z_]+)_[0-9a-f]+\.json$")
# The rules table of `../shared/slack/README.md`: (row, pattern, the limits its numbers are).
LIMIT_ROWS = (
    ("ack of a slash command / interaction", r"within (\d+) s", ("ack_seconds",)),
    ("request signature", r"more than (\d+) s away", ("signature_max_age_seconds",)),
    ("`trigger_id`", r"expires after (\d+) s", ("trigger_id_seconds",)),
    (
        "`response_url`",
        r"at most (\d+) uses within (\d+) minutes",
        ("response_url_uses", "response_url_minutes"),
    ),
    ("blocks", r"(\d+) per message; (\d+) per modal", ("message_blocks", "view_blocks")),
    (
        "modal",
        r"1-(\d+) chars; `private_metadata` at most (\d+) chars; `callback_id` at most (\d+)",
        ("modal_text", "private_metadata", "callback_id"),
    ),
    ("section text", r"at most (\d+) chars; at most (\d+) fields", ("section_text", "fields")),
    ("button", r"text at most (\d+) chars; value at most (\d+)", ("button_text", "button_value")),
    (
        "options",
        r"at most (\d+) per select; option text at most (\d+), value at most (\d+)",
        ("options", "option_text", "option_value"),
    ),
)


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def arg_types(schema: dict[str, Any]) -> list[str]:
    if "type" in schema:
        return [schema["type"]]
    return sorted({str(s["type"]) for s in schema.get("anyOf", []) if "type" in s})


def method_facts(spec: dict[str, Any]) -> dict[str, Any]:
    scope = spec.get("scope")
    # Slack writes "none" or {} for a method that needs no scope.
    bot_scopes = list(scope.get("bot", [])) if isinstance(scope, dict) else []
    properties = spec["args"].get("properties") or {}
    return {
        "http_method": spec["http_method"],
        "required": list(spec["args"].get("required") or []),
        "arg_types": {name: arg_types(schema) for name, schema in sorted(properties.items())},
        "scope_bot": bot_scopes,
        "rate_limit_tier": spec.get("rate_limits"),
        "errors": sorted(spec.get("errors") or {}),
    }


def merge_shapes(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge_shapes(a.get(k), b.get(k)) if k in a else b[k] for k in a | b}
    if isinstance(a, list) and isinstance(b, list):
        return a + b
    return b if a is None else a


def shape(value: Any, top: bool = True) -> Any:
    """A recorded response cut to what the double's shape check reads: the keys, one merged
    item per list, and a blank of each scalar's type."""
    if isinstance(value, dict):
        return {
            key: shape(item, top=False)
            for key, item in value.items()
            if top or key not in UNBUILT_KEYS
        }
    if isinstance(value, list):
        return [shape(functools.reduce(merge_shapes, value), top=False)] if value else []
    if value is None or isinstance(value, bool):
        return value if value is None else False
    return type(value)()


def limits(readme: str) -> dict[str, int]:
    rows = dict(re.findall(r"^\| (.+?) \| (.+?) \|$", readme, re.MULTILINE))
    found: dict[str, int] = {}
    for row, pattern, names in LIMIT_ROWS:
        match = re.search(pattern, rows.get(row, ""))
        if match is None:
            raise SystemExit(f"README.md's rule {row!r} no longer reads {pattern!r}")
        found |= {name: int(number) for name, number in zip(names, match.groups(), strict=True)}
    return found


def derive(source: Path) -> dict[str, Any]:
    methods = sorted(bot_methods() | TEST_METHODS)
    manifest = load(PROJECT_ROOT / "manifest.json")
    bot_events = sorted(manifest["settings"]["event_subscriptions"]["bot_events"])
    events = {event["name"]: event for event in load(source / "events.json")}
    envelopes: dict[str, list[Any]] = {}
    for path in sorted((source / "socket-mode").glob("envelope_*.json")):
        match = ENVELOPE.match(path.name)
        if match:
            envelopes.setdefault(match.group(1), []).append(load(path))
    responses = source / "responses"
    return {
        "about": "Derived from Slack's published data by tests/slack_reference/derive.py;"
        " do not edit by hand.",
        "sources": {
            folder: (source / folder / "SOURCE.txt").read_text(encoding="utf-8").splitlines()[0]
            for folder in ("methods", "responses", "socket-mode", "manifest-schema")
        },
        "methods": {
            name: method_facts(load(source / "methods" / f"{name}.json")) for name in methods
        },
        "responses": {
            name: shape(load(responses / f"{name}.json"))
            for name in methods
            if (responses / f"{name}.json").is_file()
        },
        "events": {name: {"scopes": list(events[name].get("scopes") or [])} for name in bot_events},
        "socket_mode": {
            "hello": load(source / "socket-mode" / "hello.json"),
            "disconnect": load(source / "socket-mode" / "disconnect.json"),
            "envelopes": envelopes,
        },
        "limits": limits((source / "README.md").read_text(encoding="utf-8")),
    }


def render(reference: dict[str, Any]) -> str:
    return json.dumps(reference, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> None:
    source = spec_dir()
    if not (source / "methods").is_dir():
        sys.exit(f"Slack's published data is not at {source} (set SLACK_SPEC_DIR)")
    text = render(derive(source))
    name = REFERENCE_PATH.relative_to(PROJECT_ROOT)
    if argv == ["--check"]:
        if REFERENCE_PATH.read_text(encoding="utf-8") != text:
            sys.exit(f"{name} is out of date: run python -m tests.slack_reference.derive")
        print(f"{name} is up to date")
        return
    REFERENCE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
