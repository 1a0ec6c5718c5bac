"""Blocks for `/rekisteri`: help, the staff list, and the audit-chain check."""

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.i18n import N_, Translator
from storage.audit import ChainReport
from storage.models.enums import Role
from storage.staff import StaffMember

ROLE_NAMES = {
    Role.ADVISOR: N_("advisor"),
    Role.CONTROLLER: N_("controller (the register's contact person)"),
    Role.ADMIN: N_("admin"),
}


def role_name(role: Role, t: Translator) -> str:
    return t(ROLE_NAMES[role])


def help_blocks(t: Translator, *, unknown_word: bool = False) -> list[Block]:
    blocks: list[Block] = []
    if unknown_word:
        blocks.append(SectionBlock(text=t("I did not recognise that. This is what I can do:")))
    blocks += [
        HeaderBlock(text=t("The register bot")),
        SectionBlock(
            text=MarkdownTextObject(
                text="\n".join(
                    [
                        t("`/asiakas virtanen` finds a person; `/asiakas uusi` adds one."),
                        t("`/tapaaminen virtanen` logs a meeting."),
                        t("`/rekisteri henkilokunta` lists the staff (controllers and admins)."),
                        t("`/rekisteri lisaa @user ROLE` grants advisor, controller or admin."),
                        t("`/rekisteri poista @user` revokes a staff member's access."),
                        t("`/rekisteri tarkastus` checks the audit trail (controllers)."),
                        t(
                            "`/rekisteri raportti [2026 | 2026-Q1 | 2026-03 | 2026-01 2026-06]` "
                            "shows a report of whole months (controllers, admins)."
                        ),
                        t(
                            "`/rekisteri kysely [2026-03]` sends you the satisfaction survey list "
                            "(controllers)."
                        ),
                        t("`/rekisteri kieli fi|en` chooses your language."),
                    ]
                )
            )
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "In English: /customer, /customer new, /meeting; "
                        "/register staff, grant, revoke, verify, report, survey, language, help."
                    )
                )
            ]
        ),
    ]
    return blocks


def staff_blocks(members: list[StaffMember], t: Translator) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text=t("Staff"))]
    active = [member for member in members if member.active]
    inactive = [member for member in members if not member.active]
    lines = [f"<@{member.slack_user_id}>: {role_name(member.role, t)}" for member in active]
    blocks.append(
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines) or t("No staff yet.")))
    )
    if inactive:
        blocks.append(DividerBlock())
        former = ", ".join(f"<@{member.slack_user_id}>" for member in inactive)
        blocks.append(
            ContextBlock(
                elements=[MarkdownTextObject(text=t("No access: %(names)s", names=former))]
            )
        )
    return blocks


def chain_report_text(report: ChainReport, t: Translator) -> str:
    if report.intact:
        return t("The audit trail is intact: %(count)d events checked.", count=report.checked)
    return t(
        "The audit trail is broken at event %(event_id)d: it or the one before it was changed or "
        "removed. %(count)d events before it are intact.",
        event_id=report.first_broken_id,
        count=report.checked,
    )
