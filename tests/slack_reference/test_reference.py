"""The Slack reference file holds what the bot uses."""

from tests import slack_reference
from tests.slack_reference.calls import bot_methods, web_api_calls


def test_every_method_the_bot_calls_is_in_the_reference() -> None:
    missing = sorted(method for method in bot_methods() if slack_reference.method(method) is None)
    assert missing == [], "run python -m tests.slack_reference.derive"


def test_the_scan_finds_the_bots_calls() -> None:
    assert {"views_publish", "chat_postEphemeral", "files_upload_v2"} <= set(web_api_calls())
    assert "files.completeUploadExternal" in bot_methods()
