"""Which response_urls count as Slack's."""

import pytest

from bot.slack.response_urls import is_slacks

API = "https://slack.com/api/"
DOUBLE = "http://127.0.0.1:8123/api/"


@pytest.mark.parametrize(
    ("url", "api_url"),
    [
        ("https://hooks.slack.com/commands/T0TEST/1/abc", API),
        ("https://hooks.slack.com:443/actions/T0TEST/1/abc", API),
        ("https://hooks.slack.com/commands/T0TEST/1/abc", DOUBLE),
        ("http://127.0.0.1:8123/response/T0TEST/1/abc", DOUBLE),
    ],
)
def test_slacks_own_and_the_api_hosts_are_accepted(url: str, api_url: str) -> None:
    assert is_slacks(url, api_url=api_url)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com.example.org/commands/T0TEST/1/abc",
        "http://hooks.slack.com/commands/T0TEST/1/abc",
        "https://hooks.slack.com:8443/commands/T0TEST/1/abc",
        "https://user@hooks.slack.com/commands/T0TEST/1/abc",
        "https://example.org/hooks.slack.com",
        "http://127.0.0.1:8124/response/T0TEST/1/abc",
        "https://127.0.0.1:8123/response/T0TEST/1/abc",
        "http://127.0.0.1:notaport/response",
        "file:///etc/passwd",
        "/response/T0TEST/1/abc",
        "",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    assert not is_slacks(url, api_url=DOUBLE)
