"""Blocks for `/rekisteri`: help, the staff list, the audit-chain check, and what the bot has
not managed to say for over an hour (by kind and count, without names or contents: also on
the controllers' Home tab)."""

from collections.abc import Mapping
from datetime import UTC

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.slack.i18n import N_, Translator
from bot.slack.ids import STAFF_PAGE
from bot.slack.lists import packed_sections
from bot.slack.text import format_date, format_datetime, local_date
from storage.audit import ChainReport, MissingEvents
from storage.enums import OutboxKind, Role
from storage.outbox import Undelivered
from storage.staff import RoleChange, StaffMember

ROLE_NAMES = {
    Role.ADVISOR: N_("advisor"),
    Role.CONTROLLER: N_("contact person (register matters)"),
    Role.ADMIN: N_("admin"),
}


# Staff a page of `/rekisteri henkilokunta` lists; its buttons turn to the others.
STAFF_PAGE_LINES = 40

ROLE_GRANTED = {
    Role.ADVISOR: N_("<@%(user)s> is now an advisor."),
    Role.CONTROLLER: N_("<@%(user)s> is now a contact person for register matters."),
    Role.ADMIN: N_("<@%(user)s> is now an admin."),
}


def role_name(role: Role, t: Translator) -> str:
    return t(ROLE_NAMES[role])


def role_granted_text(user: str, role: Role, t: Translator) -> str:
    return t(ROLE_GRANTED[role], user=user)


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
                        t(
                            "`/rekisteri henkilokunta` lists the staff (contact persons and "
                            "admins)."
                        ),
                        t(
                            "`/rekisteri lisaa @user ROLE` grants a role: `advisor`, `contact` "
                            "(contact person for register matters) or `admin`."
                        ),
                        t("`/rekisteri poista @user` revokes a staff member's access."),
                        t("`/rekisteri tarkastus` checks the audit trail (contact persons)."),
                        t(
                            "`/rekisteri raportti [period]` shows a report of whole months "
                            "(contact persons, admins): a month `2026-11`, a quarter `2026-Q1`, "
                            "a year `2026` or a range such as `1.10.2026–31.12.2026`."
                        ),
                        t(
                            "`/rekisteri kysely [period]` sends you the satisfaction survey list "
                            "(contact persons), for a period given as for the report."
                        ),
                        t("`/rekisteri asetukset` shows and sets the agency's settings (admins)."),
                        t(
                            "`/rekisteri vie` sends you the agency's whole register as a ZIP file "
                            "(admins)."
                        ),
                        t(
                            "`/rekisteri tyhjennä` erases the agency's whole register at the end "
                            "of its service, once you confirm it (admins)."
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
                        "In English: /customer, /customer new, /meeting; /register staff, "
                        "grant, revoke, verify, report, survey, settings, export, erase, "
                        "language, help."
                    )
                )
            ]
        ),
    ]
    return blocks


def staff_blocks(
    members: list[StaffMember],
    t: Translator,
    changes: Mapping[str, RoleChange] | None = None,
    *,
    page: int = 0,
) -> list[Block]:
    """The staff and their roles, a page at a time; beside each, who last changed it and when
    (the audit trail); those without access after the others."""
    changes = changes or {}
    active = [member for member in members if member.active]
    inactive = [member for member in members if not member.active]
    listed = active + inactive
    pages = max(1, -(-len(listed) // STAFF_PAGE_LINES))
    page = min(max(page, 0), pages - 1)
    start = page * STAFF_PAGE_LINES
    on_page = listed[start : start + STAFF_PAGE_LINES]
    shown = []
    for member in on_page:
        change = role_change_text(changes.get(member.slack_user_id), t)
        if member.active:
            shown.append(f"<@{member.slack_user_id}>: {role_name(member.role, t)}{change}")
            continue
        if member is on_page[0] or on_page[on_page.index(member) - 1].active:
            shown.append(t("*No access:*"))
        shown.append(f"<@{member.slack_user_id}>{change}")
    blocks: list[Block] = [HeaderBlock(text=t("Staff"))]
    blocks += packed_sections(shown or [t("No staff yet.")])
    if pages > 1:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t.n(
                            "%(first)d–%(last)d of %(count)d",
                            "%(first)d–%(last)d of %(count)d",
                            len(listed),
                            first=start + 1,
                            last=start + len(on_page),
                        )
                    )
                ]
            )
        )
        buttons = []
        if page > 0:
            buttons.append(
                ButtonElement(text=t("Previous page"), action_id=STAFF_PAGE, value=str(page - 1))
            )
        if page < pages - 1:
            buttons.append(
                ButtonElement(text=t("Next page"), action_id=STAFF_PAGE, value=str(page + 1))
            )
        blocks.append(ActionsBlock(elements=buttons))
    return blocks


def role_change_text(change: RoleChange | None, t: Translator) -> str:
    if change is None:
        return ""
    day = local_date(change.at, format_date(change.at.date(), t.language))
    if change.from_settings:
        return " · " + t("from ADMIN_USER_IDS, %(date)s", date=day)
    if change.revoked:
        return " · " + t("revoked by <@%(actor)s>, %(date)s", actor=change.actor, date=day)
    return " · " + t("given by <@%(actor)s>, %(date)s", actor=change.actor, date=day)


def chain_report_text(report: ChainReport, t: Translator) -> str:
    if report.intact:
        lines = [
            t.n(
                "The audit trail is intact: %(count)d event checked.",
                "The audit trail is intact: %(count)d events checked.",
                report.checked,
            )
        ]
        if report.plain:
            lines.append(
                t.n(
                    "%(count)d of them was sealed before the audit trail had a key "
                    "(plain SHA-256).",
                    "%(count)d of them were sealed before the audit trail had a key "
                    "(plain SHA-256).",
                    report.plain,
                )
            )
        return "\n".join(lines)
    lines = []
    if report.first_broken_id is not None:
        lines.append(
            t.n(
                "The audit trail is broken at event %(event_id)d: it or the one before it was "
                "changed or removed. %(count)d event before it is intact.",
                "The audit trail is broken at event %(event_id)d: it or the one before it was "
                "changed or removed. %(count)d events before it are intact.",
                report.checked,
                event_id=report.first_broken_id,
            )
        )
    return "\n".join(lines + chain_problems(report, t))


def chain_problems(report: ChainReport, t: Translator) -> list[str]:
    """What is wrong besides a broken link: events missing since the last anchor, and events
    sealed with another key."""
    problems = []
    if report.missing is not None:
        problems.append(missing_events_text(report.missing, t))
    if report.foreign_epochs:
        problems.append(
            t.n(
                "%(count)d event was sealed with another key than this bot's "
                "(AUDIT_CHAIN_KEY), or the point from which the key seals the trail was moved: "
                "it cannot be checked.",
                "%(count)d events were sealed with another key than this bot's "
                "(AUDIT_CHAIN_KEY), or the point from which the key seals the trail was moved: "
                "they cannot be checked.",
                report.unverifiable,
            )
        )
    return problems


def missing_events_text(missing: MissingEvents, t: Translator) -> str:
    anchor = missing.anchor
    at = format_datetime(anchor.at, t.language, UTC) + " UTC"
    text = t.n(
        "Events have gone missing or changed since the last anchor (%(at)s): it recorded "
        "%(count)d event up to event %(event_id)d, and %(remaining)d of them are in the trail "
        "now.",
        "Events have gone missing or changed since the last anchor (%(at)s): it recorded "
        "%(count)d events up to event %(event_id)d, and %(remaining)d of them are in the trail "
        "now.",
        anchor.count,
        at=at,
        event_id=anchor.event_id,
        remaining=missing.remaining,
    )
    if missing.head_gone:
        text += " " + t("Event %(event_id)d itself is gone.", event_id=anchor.event_id)
    elif missing.head_changed:
        text += " " + t(
            "Event %(event_id)d is there with another hash than the anchor recorded: the trail "
            "was resealed.",
            event_id=anchor.event_id,
        )
    return text


KIND_NAMES = {
    OutboxKind.REQUEST_ALERT: N_("request alerts"),
    OutboxKind.REQUEST_UPDATE: N_("updates of request alerts"),
    OutboxKind.FILER_OUTCOME: N_("outcomes told to the filer"),
    OutboxKind.ACCESS_PACKAGE: N_("access packages"),
    OutboxKind.PORTABILITY_PACKAGE: N_("portability packages"),
    OutboxKind.RECIPIENTS_TO_TELL: N_("lists of recipients to tell"),
    OutboxKind.FOLLOW_UPS: N_("follow-up reminders"),
    OutboxKind.REQUEST_DEADLINES: N_("deadline reminders"),
    OutboxKind.REQUEST_DEADLINE_COUNTS: N_("deadline counts for the staff channel"),
    OutboxKind.RETENTION_REVIEW: N_("retention reminders for the staff channel"),
    OutboxKind.AUDIT_BROKEN: N_("audit trail alarms"),
    OutboxKind.FILING_CONFIRMATION: N_("confirmations of filed requests"),
    OutboxKind.CONTROLLER_NOTICE: N_("notices to the register's contact persons"),
    OutboxKind.SLACK_FILE_DELETE: N_("deletions of files from Slack"),
    OutboxKind.SLACK_MESSAGE_REDACT: N_("erased persons' names removed from messages"),
}


def _lines(counts: dict[OutboxKind, int], t: Translator) -> list[str]:
    return [
        f"• {t(KIND_NAMES[kind])}: {count}"
        for kind, count in sorted(counts.items(), key=lambda item: list(OutboxKind).index(item[0]))
    ]


def undelivered_blocks(undelivered: Undelivered, t: Translator) -> list[Block]:
    """Nothing when everything went out."""
    if not undelivered.total:
        return []
    heading = t("Messages not delivered for over an hour")
    parts = [f"*{heading}*"]
    if undelivered.retrying:
        parts += [t("Still being retried:"), *_lines(undelivered.retrying, t)]
    if undelivered.failed:
        parts += [t("Refused by Slack, not retried:"), *_lines(undelivered.failed, t)]
    return [
        SectionBlock(text=MarkdownTextObject(text="\n".join(parts))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "The bot retries every minute, less often as time goes on. The log "
                        "names each message's error code; a recipient who left Slack is not "
                        "retried."
                    )
                )
            ]
        ),
    ]
