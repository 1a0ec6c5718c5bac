"""The Web API client every part of the bot uses: Slack's URL from settings, with retries."""

import copy

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.runtime.settings import Settings


def retry_handlers() -> list[RetryHandler]:
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


def build_web_client(settings: Settings) -> WebClient:
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=retry_handlers(),
        timeout=10,
    )


def without_retries(client: WebClient) -> WebClient:
    """The same client, answering at once where it would wait and retry: the outbox retries by
    the clock, and its fast path must not hold up the request that wrote it."""
    quick = copy.copy(client)
    quick.retry_handlers = []
    return quick
