"""Which Slack Web API methods the bot's code calls, found by scanning `bot/`."""

import re
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Web API calls in the code: `client.chat_postMessage(` or `context.client.views_open(`.
CLIENT_CALL = re.compile(r"\bclient\.([A-Za-z_][A-Za-z0-9_]*)\(")
# slack_sdk helpers that call more than one Slack method.
COMPOSITE_CALLS = {
    "files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal"),
}


def web_api_calls() -> dict[str, set[Path]]:
    """Each slack_sdk WebClient method the bot calls, with the files that call it."""
    calls: dict[str, set[Path]] = {}
    for path in sorted((PROJECT_ROOT / "bot").rglob("*.py")):
        for name in CLIENT_CALL.findall(path.read_text(encoding="utf-8")):
            calls.setdefault(name, set()).add(path.relative_to(PROJECT_ROOT))
    return calls


def slack_methods(client_method: str) -> tuple[str, ...]:
    """`chat_postEphemeral` -> `chat.postEphemeral`; helpers map to the methods they call."""
    return COMPOSITE_CALLS.get(client_method, (client_method.replace("_", "."),))


def bot_methods() -> set[str]:
    return {method for call in web_api_calls() for method in slack_methods(call)}
