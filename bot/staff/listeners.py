"""`/rekisteri` (`/register`): staff and roles, the audit-chain check, help."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App, Respond
from sqlalchemy.orm import Session

from bot.runtime.audit_anchors import verify_and_anchor
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_REGISTER, STAFF_PAGE
from bot.slack.inputs.page_button import PageButton
from bot.slack.middleware import require
from bot.staff.blocks import (
    chain_report_text,
    help_blocks,
    role_granted_text,
    staff_blocks,
    undelivered_blocks,
)
from bot.staff.inputs import (
    ChooseLanguage,
    GrantRole,
    RegisterAction,
    RevokeAccess,
    register_action,
)
from storage import outbox
from storage import staff as staff_store
from storage.permissions import Permission
from storage.staff import StaffMember


def show_help(
    ack: Ack, command: dict[str, Any], session: Session, staff: StaffMember, t: Translator
) -> None:
    """The help; for a controller also what the bot has not managed to deliver for an hour."""
    unknown = register_action(command.get("text", "")) is None
    blocks = help_blocks(t, unknown_word=unknown)
    if staff.can(Permission.REQUEST_WORK):
        blocks += undelivered_blocks(outbox.undelivered(session=session), t)
    ack(blocks=blocks, response_type="ephemeral")


def list_staff(ack: Ack, session: Session, t: Translator) -> None:
    members = staff_store.list_all(session=session)
    changes = staff_store.last_role_changes(session=session)
    ack(blocks=staff_blocks(members, t, changes), response_type="ephemeral")


def turn_staff_page(
    ack: Ack, action: dict[str, Any], respond: Respond, session: Session, t: Translator
) -> None:
    ack()
    page = PageButton.parse(action.get("value"))
    members = staff_store.list_all(session=session)
    changes = staff_store.last_role_changes(session=session)
    respond(
        blocks=staff_blocks(members, t, changes, page=page.page),
        response_type="ephemeral",
        replace_original=True,
    )


def grant_role(
    ack: Ack, command: dict[str, Any], session: Session, staff: StaffMember, t: Translator
) -> None:
    grant = GrantRole.parse(command["text"])
    member = staff_store.grant(
        session=session, actor=staff, slack_user_id=grant.slack_user_id, role=grant.role
    )
    ack(
        text=role_granted_text(member.slack_user_id, member.role, t),
        response_type="ephemeral",
    )


def revoke_access(
    ack: Ack, command: dict[str, Any], session: Session, staff: StaffMember, t: Translator
) -> None:
    revoke = RevokeAccess.parse(command["text"])
    member = staff_store.revoke(session=session, actor=staff, slack_user_id=revoke.slack_user_id)
    ack(
        text=t("<@%(user)s> no longer has access to the register.", user=member.slack_user_id),
        response_type="ephemeral",
    )


def verify_audit_trail(
    ack: Ack, session: Session, staff: StaffMember, t: Translator, audit_anchors: Path
) -> None:
    report = verify_and_anchor(session=session, anchors=audit_anchors, actor=staff.slack_user_id)
    ack(text=chain_report_text(report, t), response_type="ephemeral")


def choose_language(ack: Ack, command: dict[str, Any], session: Session) -> None:
    choice = ChooseLanguage.parse(command["text"])
    staff_store.set_language(
        session=session, slack_user_id=command["user_id"], language=choice.language
    )
    t = Translator(choice.language)
    ack(text=t("I will speak English with you from now on."), response_type="ephemeral")


def is_action(*actions: RegisterAction | None) -> Callable[[dict[str, Any]], bool]:
    def matches(command: dict[str, Any]) -> bool:
        return register_action(command.get("text", "")) in actions

    return matches


LISTENERS = [
    (is_action(RegisterAction.STAFF), Permission.STAFF_VIEW, list_staff),
    (is_action(RegisterAction.GRANT), Permission.STAFF_MANAGE, grant_role),
    (is_action(RegisterAction.REVOKE), Permission.STAFF_MANAGE, revoke_access),
    (is_action(RegisterAction.VERIFY), Permission.AUDIT_VERIFY, verify_audit_trail),
    (is_action(RegisterAction.LANGUAGE), Permission.HELP_VIEW, choose_language),
    (is_action(RegisterAction.HELP, None), Permission.HELP_VIEW, show_help),
]


def register(app: App) -> None:
    for name in COMMAND_REGISTER:
        for matcher, permission, listener in LISTENERS:
            app.command(name, matchers=[matcher], middleware=[require(permission)])(listener)
    app.action(STAFF_PAGE, middleware=[require(Permission.STAFF_VIEW)])(turn_staff_page)
