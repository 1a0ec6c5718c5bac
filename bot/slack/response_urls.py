"""Which response_urls the bot posts to: Slack's own, and those on the host of SLACK_API_URL
(where tests and staging run a local stand-in for Slack). A response_url read back from a
modal's private_metadata is checked here before anything is sent to it."""

from urllib.parse import SplitResult, urlsplit

SLACK_RESPONSE_HOST = "hooks.slack.com"
DEFAULT_PORTS = {"https": 443, "http": 80}


def _origin(parts: SplitResult) -> tuple[str, str | None, int | None]:
    return parts.scheme, parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme)


def is_slacks(url: str, *, api_url: str) -> bool:
    """`url` is on `https://hooks.slack.com`, or on the same scheme, host and port as
    `api_url`; with no user name or password in it."""
    try:
        parts = urlsplit(url)
        origin = _origin(parts)
        api_origin = _origin(urlsplit(api_url))
    except ValueError:  # a port that is not a number
        return False
    if parts.username is not None or parts.password is not None or parts.hostname is None:
        return False
    return origin in (("https", SLACK_RESPONSE_HOST, 443), api_origin)
