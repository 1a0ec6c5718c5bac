"""Cross-cutting concerns as Bolt middleware: who is asking, and may they."""

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.middleware.request_verification import RequestVerification
from slack_bolt.request import BoltRequest

from bot.slack.error_messages import NOT_PERMITTED
from bot.slack.i18n import N_
from bot.slack.inputs.text import CONTROL_IN_COMMAND, control_problem
from bot.slack.reply import reply_privately
from bot.slack.transactions import begin_early, discard_unused
from storage import audit
from storage import staff as staff_store
from storage.db import Database
from storage.enums import AuditOutcome
from storage.permissions import Permission

NOT_STAFF = N_(
    "Sorry, only the register's staff can use this bot. "
    "Ask an admin to add you with `/rekisteri lisaa`."
)

Middleware = Callable[..., BoltResponse | None]


class PrivateRequestVerification(RequestVerification):
    """Slack's signature check, without Bolt's habit of logging the refused body.

    A timestamp that is missing or not a number is refused like any bad signature (401), where
    the stock check would fail with a server error.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if not self._can_skip(req.mode, req.body):
            timestamp = req.headers.get("x-slack-request-timestamp", [""])[0]
            if not timestamp.isdigit():
                self.logger.info("Refused a request without a valid timestamp")
                return self._build_error_response()
        return super().process(req=req, resp=resp, next=next)

    def _debug_log_error(self, signature: Any, timestamp: Any, body: Any) -> None:
        self.logger.info("Refused a request with an invalid signature")


def provide(**values: object) -> Middleware:
    """Puts values fixed at start-up (from the settings) into the context, each taken by its
    name. One middleware for them all: Bolt spends as long on calling a middleware as on what
    a small one does."""

    def put_in_context(context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        context.update(values)
        return next()  # type: ignore[func-returns-value]

    put_in_context.__name__ = f"provide_{'_'.join(values)}"
    return put_in_context


def resolve_staff() -> Middleware:
    """Puts the asking staff member and their translator into the context, or refuses.

    The staff member is read in the request's own transaction, which the listener goes on in,
    acting for the agency of the request's workspace (bot.slack.workspaces)."""

    def resolve_staff_member(
        context: BoltContext, body: dict[str, Any], next: Callable[[], None]
    ) -> BoltResponse | None:
        database: Database = context["database"]
        user_id = context.user_id
        if user_id is None:
            return next()  # type: ignore[func-returns-value]
        member = staff_store.find(session=begin_early(context, database), slack_user_id=user_id)
        if member is None or not member.active:
            discard_unused(context)
            with database.transaction() as session:
                audit.record(
                    session=session,
                    actor=user_id,
                    action="access.not_staff",
                    outcome=AuditOutcome.DENIED,
                )
            return reply_privately(body=body, context=context, text=context["t"](NOT_STAFF))
        context["staff"] = member
        context["t"] = context["translators"](member.language)
        return next()  # type: ignore[func-returns-value]

    return resolve_staff_member


def refuse_control_characters(
    context: BoltContext, body: dict[str, Any], next: Callable[[], None]
) -> BoltResponse | None:
    """A slash command's text, or what was typed into a select that searches, is one line of
    text: control characters in it are refused before any listener runs."""
    typed = body.get("text") if "command" in body else None
    if body.get("type") == "block_suggestion":
        typed = body.get("value")
    if isinstance(typed, str) and control_problem(typed.strip()):
        return reply_privately(body=body, context=context, text=context["t"](CONTROL_IN_COMMAND))
    return next()  # type: ignore[func-returns-value]


def require(permission: Permission) -> Middleware:
    """Listener middleware: the staff member's role must grant `permission`."""

    def require_permission(
        context: BoltContext, body: dict[str, Any], next: Callable[[], None]
    ) -> BoltResponse | None:
        member = context.get("staff")
        if member is not None and member.can(permission):
            return next()  # type: ignore[func-returns-value]
        database: Database = context["database"]
        with database.transaction() as session:
            audit.record(
                session=session,
                actor=context.user_id or "unknown",
                action=f"permission.{permission.value}",
                outcome=AuditOutcome.DENIED,
            )
        return reply_privately(body=body, context=context, text=context["t"](NOT_PERMITTED))

    require_permission.__name__ = f"require_{permission.name.lower()}"
    return require_permission
