"""Each request acts for the agency of the workspace it came from.

With one workspace (SLACK_BOT_TOKEN), that is the deployment's own agency. Installed in many
(OAuth), the request's team names it: before Bolt looks up the workspace's bot token, a request
from a workspace where the bot is not installed (or no longer) is answered with nothing, and
only its team id is logged. Everything the request does in the register goes through
`context["database"]`, which acts for that agency.
"""

import logging
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest

from bot.runtime.installations import Installations
from storage.db import Database

logger = logging.getLogger(__name__)


class InOrder(Middleware):
    """Several middleware where Bolt takes one (`before_authorize`)."""

    def __init__(self, *middleware: Middleware) -> None:
        self.middleware: Sequence[Middleware] = middleware

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        def run(index: int) -> BoltResponse | None:
            if index == len(self.middleware):
                return next()
            return self.middleware[index].process(
                req=req,
                resp=resp,
                next=lambda: run(index + 1),  # type: ignore[arg-type, return-value]
            )

        return run(0)


class OneWorkspace(Middleware):
    """Every request acts for the deployment's own agency."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        req.context["database"] = self.database
        return next()


class AgencyOfWorkspace(Middleware):
    """Every request acts for the agency of its workspace; one from a workspace without the
    bot is refused quietly."""

    def __init__(self, installations: Installations) -> None:
        self.installations = installations

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        context = req.context
        database = self.installations.database
        if req.body.get("type") == "url_verification":  # Slack checking the endpoint
            context["database"] = database
            return next()
        team_id = context.team_id
        agency = None
        if team_id is not None:
            agency = self.installations.agency_of(
                team_id=team_id,
                enterprise_id=context.enterprise_id,
                is_enterprise_install=bool(context.is_enterprise_install),
            )
        if agency is None:
            logger.info("Refused a request from team %s, where the bot is not installed", team_id)
            return BoltResponse(status=200, body="")
        context["database"] = database.acting_for(agency)
        return next()


def register_uninstalls(app: App, installations: Installations) -> None:
    """The workspace removed the bot, or revoked its bot token: the agency is uninstalled."""

    def uninstalled(context: BoltContext, ack: Callable[[], None]) -> None:
        ack()
        if context.team_id is not None:
            installations.uninstall(team_id=context.team_id, enterprise_id=context.enterprise_id)

    def revoked(context: BoltContext, event: dict[str, Any], ack: Callable[[], None]) -> None:
        ack()
        if context.team_id is not None and (event.get("tokens") or {}).get("bot"):
            installations.uninstall(team_id=context.team_id, enterprise_id=context.enterprise_id)

    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
