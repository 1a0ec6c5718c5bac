"""What fulfilling a request shows the controller: the erasure confirmation, the restriction
modal, the outcome of each, and the recipients who must be told (Art 19)."""

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.request_form import kind_name, reference_text
from bot.i18n import N_, Translator
from bot.ids import REQUEST_ERASURE_FORM, REQUEST_RESTRICTION_FORM, RESTRICTION_REASON
from bot.inputs.request_fulfil import REASON_MAX_LENGTH
from bot.inputs.request_work import RequestModalMetadata
from bot.text import format_date, mrkdwn_escape
from storage.erasure import ErasurePlan, KeptGround
from storage.requests import RecipientView, RequestView

TABLE_NAMES = {
    "persons": N_("the person's record"),
    "phone_numbers": N_("phone numbers"),
    "relationships": N_("relationships"),
    "consents": N_("consents"),
    "meetings": N_("meetings"),
    "disclosures": N_("disclosure records"),
    "data_subject_requests": N_("data-subject requests"),
    "audit_events": N_("audit trail entries"),
}
GROUNDS = {
    KeptGround.ACCOUNTABILITY: N_(
        "kept without the person, under their public reference only: the register must be able "
        "to show how each request was handled (Art 17(3)(b) and (e))"
    ),
    KeptGround.AUDIT_TRAIL: N_(
        "kept: they carry only the person's id, and the duty to log each consultation requires "
        "them (Art 17(3)(b))"
    ),
}
NO_RECIPIENTS = N_("No recipients have received the person's data: nobody else needs telling.")
TELL_RECIPIENTS = N_("Tell these recipients (Art 19):")
PACKAGE_COMMENT = N_(
    "The copy of the data for request #%(number)s (%(reference)s): JSON for machines, HTML for "
    "the person. Send both to the requester securely."
)
PACKAGE_RESOLUTION = N_("A copy of the data was delivered as JSON and HTML files.")
ERASED_RESOLUTION = N_("The person was erased (erasure record %(erasure)s).")
RESTRICTED_RESOLUTION = N_("Processing was restricted.")
RECTIFIED_RESOLUTION = N_("Rectified: %(fields)s")
NOTHING_RECTIFIED = N_("Checked: nothing needed rectifying.")


def _heading(request: RequestView, t: Translator) -> ContextBlock:
    return ContextBlock(
        elements=[
            MarkdownTextObject(
                text=t(
                    "Request #%(number)s: %(kind)s, %(reference)s",
                    number=request.id,
                    kind=kind_name(request.kind, t).lower(),
                    reference=reference_text(request, t),
                )
            )
        ]
    )


def _table_name(name: str, t: Translator) -> str:
    return t(TABLE_NAMES[name]) if name in TABLE_NAMES else mrkdwn_escape(name)


def recipients_text(recipients: Sequence[RecipientView], t: Translator) -> str:
    if not recipients:
        return t(NO_RECIPIENTS)
    lines = [t(TELL_RECIPIENTS)]
    for recipient in recipients:
        lines.append(
            f"• *{mrkdwn_escape(recipient.recipient)}* ({', '.join(recipient.categories)}), "
            + t("last on %(date)s", date=format_date(recipient.last_disclosed_at, t.language))
        )
    return "\n".join(lines)


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def erasure_view(request: RequestView, plan: ErasurePlan, t: Translator) -> View:
    """Everything that will go, what stays and on which ground, and whom to tell."""
    deleted = "\n".join(f"• {_table_name(rows.table, t)}: {rows.rows}" for rows in plan.deleted)
    kept = "\n".join(
        f"• {_table_name(rows.table, t)}: {rows.rows}, {t(GROUNDS[rows.ground])}"
        for rows in plan.kept
    )
    blocks: list[Block] = [
        _heading(request, t),
        _section(t("*Deleted for good:*") + "\n" + deleted),
    ]
    if kept:
        blocks.append(_section(t("*Kept:*") + "\n" + kept))
    blocks += [
        _section(recipients_text(plan.recipients, t)),
        _section(
            t(
                "Erasure cannot be undone. A record of it, by id, is kept so that it can be "
                "applied again if a backup is ever restored."
            )
        ),
    ]
    return View(
        type="modal",
        callback_id=REQUEST_ERASURE_FORM,
        title=t("Erase the person"),
        submit=t("Erase"),
        close=t("Cancel"),
        private_metadata=RequestModalMetadata(request_id=request.id).dump(),
        blocks=blocks,
    )


def restriction_view(request: RequestView, t: Translator) -> View:
    blocks: list[Block] = [
        _heading(request, t),
        _section(
            t(
                "The record is kept but only stored: advisors no longer find or open it, and it "
                "is left out of exports and reports until a controller lifts the restriction."
            )
        ),
        InputBlock(
            block_id=RESTRICTION_REASON,
            label=t("Reason for the restriction"),
            hint=t("E.g. the person contests the accuracy of the data, or objects to processing."),
            element=PlainTextInputElement(
                action_id=RESTRICTION_REASON, multiline=True, max_length=REASON_MAX_LENGTH
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=REQUEST_RESTRICTION_FORM,
        title=t("Restrict processing"),
        submit=t("Restrict"),
        close=t("Cancel"),
        private_metadata=RequestModalMetadata(request_id=request.id).dump(),
        blocks=blocks,
    )


def done_view(
    request: RequestView, headline: str, recipients: Sequence[RecipientView], t: Translator
) -> View:
    """The outcome of an erasure or a restriction, with the recipients to tell."""
    return View(
        type="modal",
        title=t("Request fulfilled"),
        close=t("Close"),
        blocks=[_heading(request, t), _section(headline), _section(recipients_text(recipients, t))],
    )
