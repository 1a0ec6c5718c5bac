"""Installation through OAuth, for a deployment that serves many workspaces: slack_sdk's
installation and state stores on the register's own database (their tables made by migration
0023), and what an installation or its removal means for the agency of the workspace.

Each workspace the bot is installed in is one agency (storage.agencies); its installing user
becomes its first admin. An org-wide installation has no workspace of its own: each workspace
of the organisation becomes an agency at its first request, its installer that agency's admin.
"""

import hashlib
import hmac
import logging
from collections.abc import Iterable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.outbox.delivery import BotTokens
from bot.runtime.settings import Settings
from storage import agencies
from storage.db import Database

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_URI_PATH = "/slack/oauth_redirect"
# The bot scopes of manifest.json (tests/test_manifest.py holds them equal).
BOT_SCOPES = ("commands", "chat:write", "files:write")
STATE_SECONDS = 600


class SignedStateStore(SQLAlchemyOAuthStateStore):
    """The OAuth state, signed with SLACK_STATE_SECRET: a state the bot did not issue is refused
    before the database is asked."""

    def __init__(self, secret: bytes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.secret = secret

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = super().issue(*args, **kwargs)
        return f"{state}.{self._signature(state)}"

    def consume(self, state: str) -> bool:
        issued, _, signature = (state or "").rpartition(".")
        if not issued or not hmac.compare_digest(signature, self._signature(issued)):
            logger.info("Refused an OAuth state the bot did not issue")
            return False
        return super().consume(issued)

    def _signature(self, state: str) -> str:
        return hmac.new(self.secret, state.encode(), hashlib.sha256).hexdigest()


class Installations:
    """The workspaces the bot is installed in, their bot tokens, and their agencies."""

    def __init__(self, settings: Settings, database: Database) -> None:
        assert settings.slack_client_id and settings.slack_state_secret
        self.settings = settings
        self.database = database
        self.store = SQLAlchemyInstallationStore(
            client_id=settings.slack_client_id,
            engine=database.engine_writing_later,
            logger=logging.getLogger("slack_sdk.oauth"),
        )
        self.state_store = SignedStateStore(
            settings.slack_state_secret.get_secret_value().encode(),
            expiration_seconds=STATE_SECONDS,
            engine=database.engine_writing_later,
            logger=logging.getLogger("slack_sdk.oauth"),
        )

    def oauth_settings(self) -> OAuthSettings:
        secret = self.settings.slack_client_secret
        assert secret is not None
        return OAuthSettings(
            client_id=self.settings.slack_client_id,
            client_secret=secret.get_secret_value(),
            scopes=list(BOT_SCOPES),
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_URI_PATH,
            installation_store=self.store,
            installation_store_bot_only=True,
            state_store=self.state_store,
            state_expiration_seconds=STATE_SECONDS,
            callback_options=CallbackOptions(success=self._installed, failure=_failed),
            logger=logging.getLogger("slack_bolt.oauth"),
        )

    def _installed(self, args: SuccessArgs) -> BoltResponse:
        installation: Installation = args.installation
        if installation.team_id is not None:
            self.install(
                team_id=installation.team_id,
                enterprise_id=installation.enterprise_id,
                name=installation.team_name or "",
                installer=installation.user_id,
            )
        else:
            logger.info("Installed org-wide in enterprise %s", installation.enterprise_id)
        return args.default.success(args)

    def install(
        self, *, team_id: str, enterprise_id: str | None, name: str, installer: str | None
    ) -> int:
        """Makes, or makes active again, the agency of `team_id`, `installer` its first admin."""
        with self.database.transaction(agency=None) as session:
            agency = agencies.install(
                session=session, team_id=team_id, enterprise_id=enterprise_id, name=name
            )
        if installer:
            with self.database.transaction(agency=agency) as session:
                agencies.make_first_admin(session=session, slack_user_id=installer)
        logger.info("Installed in team %s: agency %d", team_id, agency)
        return agency

    def agency_of(
        self, *, team_id: str, enterprise_id: str | None, is_enterprise_install: bool
    ) -> int | None:
        """The active agency a request from `team_id` acts for; None: not installed there.
        A workspace of an organisation that installed the bot org-wide becomes one now."""
        with self.database.reading(agency=None) as session:
            agency = agencies.agency_for_team(session=session, team_id=team_id)
        if agency is not None or not (is_enterprise_install and enterprise_id):
            return agency
        installation = self.store.find_installation(
            enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
        )
        if installation is None or installation.bot_token is None:
            return None
        return self.install(
            team_id=team_id,
            enterprise_id=enterprise_id,
            name="",
            installer=installation.user_id,
        )

    def uninstall(self, *, team_id: str, enterprise_id: str | None) -> None:
        """The workspace removed the bot: its installation and bot tokens go; its agency is
        marked uninstalled, and its register stays."""
        self.store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        with self.database.transaction(agency=None) as session:
            agency = agencies.uninstall(session=session, team_id=team_id)
        logger.info("Uninstalled from team %s: agency %s", team_id, agency)

    def bot_token(self, agency: int | None) -> str | None:
        """The bot token of an agency's workspace; None when it has none (any more)."""
        if agency is None:
            return None
        with self.database.reading(agency=None) as session:
            workspace = agencies.workspace_of(session=session, agency=agency)
        if workspace is None:
            return None
        tries: Iterable[tuple[str | None, bool]] = [(workspace.team_id, False)]
        if workspace.enterprise_id:
            tries = [*tries, (None, True)]
        for team_id, org_wide in tries:
            bot = self.store.find_bot(
                enterprise_id=workspace.enterprise_id,
                team_id=team_id,
                is_enterprise_install=org_wide,
            )
            if bot is not None:
                return bot.bot_token
        return None


def bot_tokens(settings: Settings, database: Database) -> BotTokens | None:
    """Each agency's bot token, when the deployment serves many workspaces; None when it serves
    one, whose token is SLACK_BOT_TOKEN."""
    return Installations(settings, database).bot_token if settings.multi_workspace else None


def _failed(args: FailureArgs) -> BoltResponse:
    logger.info("An installation failed: %s", args.reason)
    return args.default.failure(args)
