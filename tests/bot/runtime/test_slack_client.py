"""The bot's Web API client goes where SLACK_API_URL says and rides out Slack's failures."""

import pytest

from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from tests.doubles.slack_web_api import SlackWebApiDouble


@pytest.fixture
def waits() -> list[float]:
    """The back-offs the client waited, in seconds (it waits no real time in these tests)."""
    return []


@pytest.fixture
def client(slack_api: SlackWebApiDouble, waits: list[float]):  # type: ignore[no-untyped-def]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, slack_bot_token="xoxb-test", slack_api_url=slack_api.base_url
    )
    return build_web_client(settings, sleep=waits.append)


def attempts(slack_api: SlackWebApiDouble) -> list[str | None]:
    return [call.injected for call in slack_api.calls_to("chat.postMessage")]


def test_calls_reach_the_configured_api(client, slack_api: SlackWebApiDouble) -> None:  # type: ignore[no-untyped-def]
    assert client.chat_postMessage(channel="C1", text="hei")["ok"]
    (call,) = slack_api.calls_to("chat.postMessage")
    assert call.headers["authorization"] == "Bearer xoxb-test"


def test_a_rate_limit_is_waited_out_as_retry_after_says(
    client, slack_api: SlackWebApiDouble, waits: list[float]
) -> None:  # type: ignore[no-untyped-def]
    slack_api.inject("chat.postMessage", status=429, retry_after=7)
    assert client.chat_postMessage(channel="C1", text="hei")["ok"]
    first, second = slack_api.calls_to("chat.postMessage")
    assert (first.injected, second.injected) == ("429", None)
    (wait,) = waits
    assert 7.0 <= wait < 8.0  # Retry-After, and up to a second more as slack_sdk adds


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_retried(  # type: ignore[no-untyped-def]
    client, slack_api: SlackWebApiDouble, status: int, waits: list[float]
) -> None:
    slack_api.inject("chat.postMessage", status=status)
    assert client.chat_postMessage(channel="C1", text="hei")["ok"]
    assert attempts(slack_api) == [str(status), None]
    assert len(waits) == 1  # slack_sdk's back-off, waited through the injected sleep


def test_a_dropped_connection_is_retried(client, slack_api: SlackWebApiDouble) -> None:  # type: ignore[no-untyped-def]
    slack_api.inject_drop("chat.postMessage")
    assert client.chat_postMessage(channel="C1", text="hei")["ok"]
    assert attempts(slack_api) == ["drop", None]
