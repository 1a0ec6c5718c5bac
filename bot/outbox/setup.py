"""One deliverer per process and database, on the fast path after every commit."""

from slack_sdk import WebClient

from bot.outbox import fast_path
from bot.outbox.delivery import BotTokens, OutboxDeliverer
from bot.runtime.settings import Settings
from bot.runtime.slack_client import without_retries
from storage.db import Database


def deliver_after_commits(
    database: Database,
    client: WebClient,
    settings: Settings,
    *,
    bot_tokens: BotTokens | None = None,
) -> OutboxDeliverer:
    """`bot_tokens`: each agency's bot token, where each has its own workspace."""
    deliverer = OutboxDeliverer(
        database=database,
        client=without_retries(client),
        settings=settings,
        bot_tokens=bot_tokens,
    )
    fast_path.install(database, deliverer)
    return deliverer
