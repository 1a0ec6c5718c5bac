"""`manifest.json` against Slack's own data: its schema, the code's commands and Web API calls.

Slack's facts come from `tests/slack_reference/reference.json`; only the schema check reads
Slack's whole manifest schema, from `../shared/slack` (or `SLACK_SPEC_DIR`) when it is there.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest

from bot.app import create_app
from bot.runtime.installations import BOT_SCOPES, REDIRECT_URI_PATH
from bot.runtime.settings import Settings
from bot.slack.ids import ALL_COMMANDS
from storage.db import Database
from tests import slack_reference
from tests.slack_reference.calls import PROJECT_ROOT, slack_methods, web_api_calls

MANIFEST_SCHEMA = (
    slack_reference.spec_dir() / "manifest-schema" / "schemas" / "manifest.schema.1.0.0.json"
)
REQUEST_URL_SUFFIX = "/slack/events"

# Commands in the manifest (DESIGN.md's contract) that no listener handles yet. Remove a
# command from here in the same change that registers its listener.
COMMANDS_NOT_YET_HANDLED: frozenset[str] = frozenset()

# Scopes granted ahead of the code that calls them; kept empty so that the app asks for no
# more than it uses (least privilege).
PLANNED_SCOPES: frozenset[str] = frozenset()


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = load_json(PROJECT_ROOT / "manifest.json")
    return data


def bot_scopes(manifest: dict[str, Any]) -> set[str]:
    return set(manifest["oauth_config"]["scopes"]["bot"])


def manifest_commands(manifest: dict[str, Any]) -> list[str]:
    return [entry["command"] for entry in manifest["features"]["slash_commands"]]


def test_manifest_validates_against_slacks_schema(manifest: dict[str, Any]) -> None:
    if not MANIFEST_SCHEMA.is_file():
        pytest.skip(
            f"Slack's manifest schema is not at {MANIFEST_SCHEMA}: put Slack's published data"
            " in ../shared/slack (or set SLACK_SPEC_DIR) to validate manifest.json against it"
        )
    schema = load_json(MANIFEST_SCHEMA)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # The schema's $refs all point into its own "definitions": no resolver is needed.
    errors = sorted(validator_class(schema).iter_errors(manifest), key=lambda e: e.json_path)
    assert [f"{error.json_path}: {error.message}" for error in errors] == []


def test_manifest_commands_are_the_codes_commands(manifest: dict[str, Any]) -> None:
    commands = manifest_commands(manifest)
    assert sorted(commands) == sorted(ALL_COMMANDS)
    assert len(commands) == len(set(commands))
    for entry in manifest["features"]["slash_commands"]:
        assert entry["url"].endswith(REQUEST_URL_SUFFIX), entry["command"]


# --- Which commands the Bolt app handles ------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    database_path = tmp_path_factory.mktemp("manifest") / "m.db"
    settings = Settings(
        _env_file=None,
        slack_bot_token="xoxb-test",
        slack_signing_secret="s",
        database_url="sqlite:///" + str(database_path),
    )
    database = Database(settings.database_url)
    yield create_app(settings, database, token_verification_enabled=False)
    database.dispose()


def slash_command_request(command: str, text: str) -> BoltRequest:
    body: dict[str, Any] = slack_reference.socket_mode_envelopes("slash_commands")[0]["payload"]
    body.update(command=command, text=text)
    return BoltRequest(body=body, mode="socket_mode")


def is_handled(app: App, command: str) -> bool:
    """Whether any listener matches the command, with a few texts its help would answer."""
    return any(
        listener.matches(req=slash_command_request(command, text), resp=BoltResponse(status=200))
        for text in ("ohje", "help", "")
        for listener in app._listeners
    )


def test_every_handled_command_is_in_the_manifest(app: App, manifest: dict[str, Any]) -> None:
    commands = manifest_commands(manifest)
    unhandled = {command for command in commands if not is_handled(app, command)}
    assert unhandled == COMMANDS_NOT_YET_HANDLED
    assert not is_handled(app, "/no-such-command"), "a listener matches any command"


# --- Scopes -----------------------------------------------------------------------------


def method_bot_scopes(method: str) -> list[str]:
    facts = slack_reference.method(method)
    assert facts is not None, f"{method} is not in the Slack reference (run its derive script)"
    return list(facts["scope_bot"])


def event_scopes(event_type: str) -> list[str]:
    scopes = slack_reference.event_scopes(event_type)
    assert scopes is not None, f"{event_type} is not in the Slack reference (run its derive script)"
    return scopes


def satisfied_by(alternatives: list[str], granted: set[str]) -> set[str]:
    """The granted scopes that satisfy a requirement.

    Slack's method data lists one scope when one is needed, and several when each kind of
    conversation needs its own (conversations.open: channels:manage, groups:write,
    im:write, mpim:write); one of those is enough for the kind the bot uses.
    """
    return set(alternatives) & granted


def required_scopes(manifest: dict[str, Any]) -> dict[str, list[str]]:
    """What needs which scope: each Web API method the code calls, and each bot event."""
    needs: dict[str, list[str]] = {}
    for client_method in web_api_calls():
        for method in slack_methods(client_method):
            needs[method] = method_bot_scopes(method)
    for event_type in manifest["settings"]["event_subscriptions"]["bot_events"]:
        needs[f"event {event_type}"] = event_scopes(event_type)
    return needs


def test_the_scan_finds_the_codes_web_api_calls() -> None:
    assert {"views_publish", "chat_postEphemeral"} <= set(web_api_calls())


def test_app_home_opened_is_subscribed(manifest: dict[str, Any]) -> None:
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]


def test_manifest_grants_every_scope_the_code_needs(manifest: dict[str, Any]) -> None:
    granted = bot_scopes(manifest)
    missing = {
        need: alternatives
        for need, alternatives in required_scopes(manifest).items()
        if alternatives and not satisfied_by(alternatives, granted)
    }
    assert missing == {}
    assert "commands" in granted
    assert granted >= PLANNED_SCOPES


def test_manifest_grants_no_scope_nothing_needs(manifest: dict[str, Any]) -> None:
    granted = bot_scopes(manifest)
    needed = {"commands"} | PLANNED_SCOPES
    for alternatives in required_scopes(manifest).values():
        needed |= satisfied_by(alternatives, granted)
    assert granted - needed == set()


# --- Installation through OAuth ---------------------------------------------------------


def test_the_oauth_redirect_url_is_the_bots(manifest: dict[str, Any]) -> None:
    urls = manifest["oauth_config"]["redirect_urls"]
    assert urls and all(url.endswith(REDIRECT_URI_PATH) for url in urls)


def test_the_install_asks_for_the_manifests_bot_scopes(manifest: dict[str, Any]) -> None:
    assert sorted(BOT_SCOPES) == sorted(bot_scopes(manifest))


def test_uninstalls_and_revoked_tokens_are_subscribed(manifest: dict[str, Any]) -> None:
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)
