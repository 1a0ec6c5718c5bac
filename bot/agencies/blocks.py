"""What the admin reads at the end of the agency's service: the export on its way and its
summary; the erasure's modal, which says what goes and what stays, and its summary."""

from collections.abc import Mapping

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.agencies.inputs import ERASE_WORD
from bot.slack.i18n import N_, Translator
from bot.slack.ids import REGISTER_ERASE_CONFIRMATION, REGISTER_ERASE_FORM
from bot.slack.text import mrkdwn_escape
from storage.agency_register import RegisterErasure, RegisterExport

# The tables a summary names, by their label; the rest are counted in the total.
MAIN_TABLES = (
    ("persons", N_("Persons")),
    ("meetings", N_("Meetings")),
    ("data_subject_requests", N_("Data-subject requests")),
    ("consents", N_("Consents")),
    ("disclosures", N_("Disclosures")),
    ("staff", N_("Staff")),
    ("audit_events", N_("Audit events")),
)
TITLE = N_("Erase the register")
# The longest confirmation the input takes: an agency's name is at most 200 characters.
CONFIRMATION_LENGTH = 200


def counts_text(rows: Mapping[str, int], t: Translator) -> str:
    """Rows of the main tables, one line each, as a list."""
    return "\n".join(
        f"• {t(label)}: {rows.get(table, 0)}" for table, label in MAIN_TABLES if table in rows
    )


def confirmation_shown(agency_name: str, t: Translator) -> str:
    """What the erasure's modal asks the admin to type."""
    return agency_name.strip() or t(ERASE_WORD)


def export_started_text(t: Translator) -> str:
    return t(
        "Building the export of the whole register; it comes to you as a direct message. A "
        "large register takes a few minutes."
    )


def export_summary_text(export: RegisterExport, t: Translator) -> str:
    """The direct message the archive comes with (the sentence on how long it stays in Slack
    follows it)."""
    total = t.n(
        "In all %(count)d row in %(tables)d tables.",
        "In all %(count)d rows in %(tables)d tables.",
        export.total,
        tables=len(export.rows),
    )
    return "\n".join(
        [
            t(
                "The agency's whole register as a ZIP file: a CSV file for each table, and "
                "manifest.json that lists them. It holds every person's data: keep it where only "
                "those who may see the register reach it."
            ),
            counts_text(export.rows, t),
            total,
        ]
    )


def export_failed_text(t: Translator) -> str:
    return t("The export of the register could not be made or sent.")


def erase_view(confirmation: str, *, named: bool, counts: Mapping[str, int], t: Translator) -> View:
    """`confirmation`: what the admin is to type, the workspace's name when `named`."""
    ask = (
        t("To erase it, type the workspace's name: *%(name)s*", name=mrkdwn_escape(confirmation))
        if named
        else t("To erase it, type *%(word)s*", word=confirmation)
    )
    return View(
        type="modal",
        callback_id=REGISTER_ERASE_FORM,
        title=t(TITLE),
        submit=t("Erase"),
        close=t("Cancel"),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=t(
                        "*This erases the agency's whole register, for good.* Export it first "
                        "if the agency is to keep it: `/rekisteri vie` sends it to you as a ZIP "
                        "file."
                    )
                )
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text="\n".join(
                        [
                            t(
                                "*What goes:* every person and everything about them (meetings, "
                                "data-subject requests, consents, disclosures); the staff list, "
                                "your own admin role with it; the audit trail except the end of "
                                "its chain; the agency's own settings. Now:"
                            ),
                            counts_text(counts, t),
                        ]
                    )
                )
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text=t(
                        "*What stays:* a record of each person's erasure, by id alone, so that "
                        "a backup restored later is erased again; the agency itself, marked "
                        "erased."
                    )
                )
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text=t(
                        "*In Slack:* the bot deletes the files it has sent (access packages, "
                        "reports, lists) and takes the persons' names out of its messages; an "
                        "export of the register stays its usual time, then goes too."
                    )
                )
            ),
            SectionBlock(text=MarkdownTextObject(text=ask)),
            InputBlock(
                block_id=REGISTER_ERASE_CONFIRMATION,
                label=t("Confirmation"),
                element=PlainTextInputElement(
                    action_id=REGISTER_ERASE_CONFIRMATION, max_length=CONFIRMATION_LENGTH
                ),
                hint=t("Nothing is erased unless this matches."),
            ),
        ],
    )


def erasing_view(t: Translator) -> View:
    """The modal once the confirmation is right: the erasure runs, the summary follows."""
    return View(
        type="modal",
        title=t(TITLE),
        close=t("Close"),
        blocks=[
            SectionBlock(
                text=t(
                    "The register is being erased. The summary comes to you as a direct message."
                )
            )
        ],
    )


def erasure_summary_text(erasure: RegisterErasure, *, multi_workspace: bool, t: Translator) -> str:
    lines = [
        t("The agency's register has been erased."),
        t.n("%(count)d person was erased.", "%(count)d persons were erased.", erasure.persons),
        t.n(
            "%(count)d row was deleted in all.",
            "%(count)d rows were deleted in all.",
            sum(erasure.rows.values()),
        ),
        t.n(
            "%(count)d event was pruned from the audit trail; its chain's end is kept.",
            "%(count)d events were pruned from the audit trail; its chain's end is kept.",
            erasure.audit_events,
        ),
    ]
    if erasure.audit_broken_at is not None:
        lines.append(
            t(
                "The audit trail could not be pruned: its chain is broken at event "
                "%(event_id)d, so it was kept. Ask whoever runs the bot to run the audit "
                "trail's check (the `audit-verify` job).",
                event_id=erasure.audit_broken_at,
            )
        )
    lines.append(
        t(
            "Each person's erasure is recorded by id, so that a backup restored later is erased "
            "again. The bot is deleting the files it sent in Slack and taking the names out of "
            "its messages (files: %(files)d, messages: %(messages)d); an export of the register "
            "stays its usual time.",
            files=erasure.copies_in_slack.files,
            messages=erasure.copies_in_slack.messages,
        )
    )
    lines.append(
        t(
            "You are no longer on the register's staff. Installing the app in this workspace "
            "again makes whoever installs it the admin of an empty register."
        )
        if multi_workspace
        else t(
            "You are no longer on the register's staff. When the bot next starts, the admins "
            "named in ADMIN_USER_IDS are admins of an empty register."
        )
    )
    return "\n".join(lines)


def erasure_failed_text(t: Translator) -> str:
    return t("The register was not erased: nothing of it was deleted.")
