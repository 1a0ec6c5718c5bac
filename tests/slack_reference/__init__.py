"""What the tests need of Slack's published reference, kept in `reference.json`.

`python -m tests.slack_reference.derive` writes the file anew from `../shared/slack` (or
`SLACK_SPEC_DIR`); the tests read only the file, so they need nothing beside the clone.
"""

import functools
import json
import os
from pathlib import Path
from typing import Any

from tests.slack_reference.calls import PROJECT_ROOT

REFERENCE_PATH = Path(__file__).with_name("reference.json")


def spec_dir() -> Path:
    """Slack's published data, when it is there: `SLACK_SPEC_DIR`, else `../shared/slack`."""
    override = os.environ.get("SLACK_SPEC_DIR")
    return Path(override) if override else PROJECT_ROOT.parent / "shared" / "slack"


@functools.cache
def _reference() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REFERENCE_PATH.read_text(encoding="utf-8"))
    return data


def reference() -> dict[str, Any]:
    """A deep copy of the reference, so no test changes what another reads."""
    data: dict[str, Any] = json.loads(json.dumps(_reference()))
    return data


def method(name: str) -> dict[str, Any] | None:
    """The method's facts (`http_method`, `required`, `arg_types`, `scope_bot`,
    `rate_limit_tier`, `errors`), or None when the reference does not hold it."""
    entry = _reference()["methods"].get(name)
    return entry if isinstance(entry, dict) else None


def response_shape(method_name: str) -> Any:
    """The shape of Slack's recorded answer to the method, or None."""
    return _reference()["responses"].get(method_name)


def event_scopes(event_type: str) -> list[str] | None:
    event = _reference()["events"].get(event_type)
    return None if event is None else list(event["scopes"])


def socket_mode_message(name: str) -> dict[str, Any]:
    """`hello` or `disconnect`, as Slack sends them."""
    message: dict[str, Any] = json.loads(json.dumps(_reference()["socket_mode"][name]))
    return message


def socket_mode_envelopes(kind: str) -> list[dict[str, Any]]:
    envelopes: list[dict[str, Any]] = json.loads(
        json.dumps(_reference()["socket_mode"]["envelopes"].get(kind, []))
    )
    return envelopes


def limit(name: str) -> int:
    value: int = _reference()["limits"][name]
    return value
