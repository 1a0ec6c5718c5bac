"""Reading the erasure ledger a test's bot wrote."""

import json
from pathlib import Path
from typing import Any

from tests.doubles.slack_web_api import SlackWebApiDouble


def ledger_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def told_slack(slack_api: SlackWebApiDouble, text: str) -> bool:
    """Whether any call to Slack carried `text`."""
    return any(text in json.dumps(call.args, ensure_ascii=False) for call in slack_api.calls)
