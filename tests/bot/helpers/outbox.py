"""An outbox deliverer on the Web API double, and the moment its messages are due."""

from datetime import UTC, datetime, timedelta

from bot.outbox.delivery import OutboxDeliverer
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client, without_retries
from storage.db import Database

# Past the moment the test's messages were put in.
NOW = datetime.now(UTC) + timedelta(days=1)


def deliverer(database: Database, settings: Settings, **kwargs: object) -> OutboxDeliverer:
    client = without_retries(build_web_client(settings))
    return OutboxDeliverer(database=database, client=client, settings=settings, **kwargs)  # type: ignore[arg-type]
