"""The Web API client every part of the bot uses: Slack's URL from settings, with retries."""

import copy
import random
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.state import RetryState

from bot.runtime.settings import Settings

Sleep = Callable[[float], None]


class _Backoff(RetryHandler):
    """slack_sdk's back-off between retries, waited through `sleep`."""

    def __init__(self, *, max_retry_count: int, sleep: Sleep) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep

    def prepare_for_next_attempt(self, *, state: RetryState, **_: Any) -> None:
        state.next_attempt_requested = True
        self.sleep(self.interval_calculator.calculate_sleep_duration(state.current_attempt))
        state.increment_current_attempt()


class _ConnectionErrorRetry(_Backoff, ConnectionErrorRetryHandler):
    pass


class _ServerErrorRetry(_Backoff, ServerErrorRetryHandler):
    pass


class _RateLimitRetry(RateLimitErrorRetryHandler):
    """Waits as Slack's `Retry-After` says, plus up to a second (as slack_sdk's own does)."""

    def __init__(self, *, max_retry_count: int, sleep: Sleep) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep

    def prepare_for_next_attempt(
        self, *, state: RetryState, response: Any = None, error: Exception | None = None, **_: Any
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        retry_after = next(
            (value for name, value in response.headers.items() if name.lower() == "retry-after"),
            None,
        )
        self.sleep((int(retry_after[0]) if retry_after else 1) + random.random())
        state.increment_current_attempt()


def retry_handlers(sleep: Sleep = time.sleep) -> list[RetryHandler]:
    """Slack's connection errors, rate limits and server errors, retried; `sleep` waits out
    each back-off (tests pass one that returns at once)."""
    return [
        _ConnectionErrorRetry(max_retry_count=2, sleep=sleep),
        _RateLimitRetry(max_retry_count=3, sleep=sleep),
        _ServerErrorRetry(max_retry_count=2, sleep=sleep),
    ]


def build_web_client(settings: Settings, *, sleep: Sleep = time.sleep) -> WebClient:
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=retry_handlers(sleep),
        timeout=10,
    )


def without_retries(client: WebClient) -> WebClient:
    """The same client, answering at once where it would wait and retry: the outbox retries by
    the clock, and its fast path must not hold up the request that wrote it."""
    quick = copy.copy(client)
    quick.retry_handlers = []
    return quick
