"""Slack's Events API retries an event it thinks we missed (no answer within three seconds, or
an error), with the same `event_id` and an `X-Slack-Retry-Num` header. Each event id is
recorded before its listener runs: a retry, or a second delivery racing the first, is
acknowledged and its listener not run again (an `app_home_opened` retry would otherwise write
another `home.view` consultation to the audit trail).

An event runs at most once: one whose first run failed is not run again either. For the Home
tab, the next opening publishes it.
"""

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from bot.slack.inputs.event_envelope import EventEnvelope
from storage import handled_events
from storage.db import Database

logger = logging.getLogger(__name__)


def once_per_event() -> Callable[..., BoltResponse | None]:
    def handle_each_event_once(
        context: BoltContext, body: dict[str, Any], next: Callable[[], None]
    ) -> BoltResponse | None:
        envelope = EventEnvelope.of(body)
        if envelope is None:
            return next()  # type: ignore[func-returns-value]
        database: Database = context["database"]
        with database.transaction() as session:
            first = handled_events.mark_handled(session=session, event_id=envelope.event_id)
        if not first:
            logger.info("Event %s was handled already; its retry is not run", envelope.event_id)
            return BoltResponse(status=200, body="")
        return next()  # type: ignore[func-returns-value]

    return handle_each_event_once
