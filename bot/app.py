"""The Bolt app, built by a factory and never at import."""

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot import lazy_unit_of_work, listeners, unit_of_work
from bot.clock import provide_clock
from bot.errors import error_handler
from bot.event_retries import once_per_event
from bot.ledger_hook import keep_ledger
from bot.middleware import (
    PrivateRequestVerification,
    provide,
    refuse_control_characters,
    resolve_staff,
)
from bot.outbox.setup import deliver_after_commits
from bot.settings import Settings
from bot.slack_client import build_web_client
from storage.db import Database


def create_app(
    settings: Settings,
    database: Database,
    *,
    client: WebClient | None = None,
    token_verification_enabled: bool = True,
) -> App:
    app = App(
        client=client or build_web_client(settings),  # carries the bot token
        logger=logging.getLogger("slack_bolt.App"),
        request_verification_enabled=False,
        before_authorize=PrivateRequestVerification(
            settings.slack_signing_secret or "", base_logger=logging.getLogger("slack_bolt")
        ),
        token_verification_enabled=token_verification_enabled,
        # The listener finishes, and its transaction commits, before Slack gets the answer.
        process_before_response=True,
    )
    app.use(once_per_event(database))
    app.use(provide_clock(settings.zone))
    app.use(provide("retention_policy", settings.retention_policy))
    app.use(provide("audit_anchors", settings.audit_anchor_path))
    app.use(provide("bulk_lookup_limit", settings.bulk_lookup_limit))
    app.use(resolve_staff(database, settings.default_language))
    app.use(refuse_control_characters)
    app.error(error_handler(settings.default_language))
    keep_ledger(database, settings.erasure_ledger_path)
    unit_of_work.install(app, database)
    deliver_after_commits(database, app.client, settings)
    lazy_unit_of_work.install(app, database, settings.default_language)
    listeners.register(app)
    return app
