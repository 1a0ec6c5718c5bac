"""The Bolt app, built by a factory and never at import."""

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.agencies import listeners as agency_end
from bot.customers import listeners as customers
from bot.home import listeners as home
from bot.meetings import listeners as meetings
from bot.outbox.setup import deliver_after_commits
from bot.reports import listeners as reports
from bot.requests import listeners as requests
from bot.retention import listeners as retention
from bot.runtime.installations import Installations
from bot.runtime.ledger_hook import keep_ledger
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.settings import listeners as agency
from bot.slack import transactions
from bot.slack.agency_context import provide_agency_settings
from bot.slack.errors import error_handler
from bot.slack.event_retries import once_per_event
from bot.slack.i18n import Translators
from bot.slack.late_answer import ACK_BUDGET_SECONDS, dispatch_within
from bot.slack.middleware import (
    PrivateRequestVerification,
    provide,
    refuse_control_characters,
    resolve_staff,
)
from bot.slack.workspaces import AgencyOfWorkspace, InOrder, OneWorkspace, register_uninstalls
from bot.staff import listeners as staff
from storage.db import Database

# Requests dispatched at once; more wait in line, and Slack gets its answer meanwhile.
DISPATCH_WORKERS = 16


class RegisterApp(App):
    """Bolt's App, answering Slack within `ack_budget` seconds however slow the database
    (bot.slack.late_answer); None: each request is answered when its listener is done."""

    def __init__(
        self, *, ack_budget: float | None, translators: Translators, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.ack_budget = ack_budget
        self.translators = translators
        self.dispatcher = ThreadPoolExecutor(DISPATCH_WORKERS, thread_name_prefix="dispatch")

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        # Before anything runs: an answer given before the middleware (the neutral one when
        # every worker is busy, an error's) speaks the default too.
        req.context["translators"] = self.translators
        req.context["t"] = self.translators()
        if self.ack_budget is None:
            return self._dispatch_closing(req)
        return dispatch_within(
            self._dispatch_closing, req, executor=self.dispatcher, budget=self.ack_budget
        )

    def _dispatch_closing(self, req: BoltRequest) -> BoltResponse:
        try:
            return super().dispatch(req)
        finally:
            transactions.discard_unused(req.context)


def create_app(
    settings: Settings,
    database: Database,
    *,
    client: WebClient | None = None,
    token_verification_enabled: bool = True,
    ack_budget: float | None = ACK_BUDGET_SECONDS,
) -> App:
    verification = PrivateRequestVerification(
        settings.slack_signing_secret or "", base_logger=logging.getLogger("slack_bolt")
    )
    # One workspace: every request acts for the database's agency. Many: for its workspace's,
    # with its workspace's bot token; the database itself acts for none.
    installations = Installations(settings, database) if settings.multi_workspace else None
    workspace = AgencyOfWorkspace(installations) if installations else OneWorkspace(database)
    app = RegisterApp(
        ack_budget=ack_budget,
        translators=Translators(settings.default_language),
        client=client or build_web_client(settings),  # carries the bot token, if there is one
        logger=logging.getLogger("slack_bolt.App"),
        request_verification_enabled=False,
        before_authorize=InOrder(verification, workspace),
        token_verification_enabled=token_verification_enabled,
        # The listener finishes, and its transaction commits, before its answer goes out: to
        # Slack within the budget, or after it by the response_url or into the modal.
        process_before_response=True,
        # Every Web API call of the OAuth flow, oauth.v2.access included, goes by the client
        # above, to SLACK_API_URL.
        oauth_settings=installations.oauth_settings() if installations else None,
    )
    app.use(once_per_event())
    app.use(
        provide(
            audit_anchors=settings.audit_anchor_path,
            bulk_lookup_limit=settings.bulk_lookup_limit,
            file_retention_days=settings.slack_file_retention_days,
            runtime_settings=settings,
        )
    )
    app.use(provide_agency_settings(settings.deployment_defaults))
    app.use(resolve_staff())
    app.use(refuse_control_characters)
    app.error(error_handler)
    keep_ledger(database, settings.erasure_ledger_path)
    transactions.install(app, database)
    deliver_after_commits(
        database,
        app.client,
        settings,
        bot_tokens=installations.bot_token if installations else None,
    )
    transactions.install_lazy(app, database)
    if installations:
        register_uninstalls(app, installations)
    # Bolt tries the listeners in this order, building each one's arguments by reflection:
    # the customer search, the commonest request, comes first.
    for feature in (
        customers,
        meetings,
        staff,
        agency,
        reports,
        requests,
        retention,
        home,
        agency_end,
    ):
        feature.register(app)
    return app
