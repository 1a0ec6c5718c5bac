"""The retention review: the weekly channel post (counts and public references only), the
controller's modal with a decision per record, and what the decisions did."""

from collections.abc import Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.requests.recipients import RECIPIENTS_IN_TEXT, recipients_text
from bot.retention.inputs import DecisionChoice, ReviewMetadata
from bot.slack.i18n import N_, Translator
from bot.slack.ids import (
    RETENTION_REVIEW,
    RETENTION_REVIEW_FORM,
    retention_decision,
    retention_hold_reason,
    retention_hold_until,
)
from bot.slack.text import format_date, mrkdwn_escape
from storage.enums import RelationshipKind
from storage.retention import HOLD_REASON_MAX_LENGTH, DecisionsApplied, RetentionCandidate

# A record takes four blocks (its line and three inputs): 20 stay well within Slack's 100.
REVIEW_PAGE = 20
POSTED_REFERENCES = 20
REVIEW_BUTTON_VALUE = "review"
# An erased record's recipients in the modal; the rest come as a file.
RECIPIENTS_PER_RECORD = RECIPIENTS_IN_TEXT

DUE_BY = {
    RelationshipKind.CUSTOMER: N_("customer, last active %(date)s"),
    RelationshipKind.STAKEHOLDER: N_("stakeholder, last active %(date)s"),
    RelationshipKind.MEMBER: N_("member, membership ended %(date)s"),
    None: N_("no relationship, last active %(date)s"),
}


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def retention_post(
    *, due: int, references: Sequence[str], t: Translator
) -> tuple[str, list[Block]]:
    """The channel message: how many records are due, their public references, the button
    (whose value names nothing: the review counts with the settings when it opens)."""
    headline = t.n(
        "%(count)s record has outlived its retention period and waits for a decision.",
        "%(count)s records have outlived their retention period and wait for a decision.",
        due,
    )
    listed = ", ".join(f"`{reference}`" for reference in references)
    if due > len(references):
        listed += " " + t.n("and %(count)s more", "and %(count)s more", due - len(references))
    blocks: list[Block] = [
        _section(f"*{headline}*"),
        _section(listed),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=t("Review"),
                    action_id=RETENTION_REVIEW,
                    value=REVIEW_BUTTON_VALUE,
                    style="primary",
                )
            ]
        ),
        ContextBlock(
            elements=[MarkdownTextObject(text=t("Only the register's contact person can decide."))]
        ),
    ]
    return headline, blocks


def _candidate_blocks(candidate: RetentionCandidate, t: Translator, language: str) -> list[Block]:
    person_id = candidate.person_id
    line = t(DUE_BY[candidate.due_by], date=format_date(candidate.counted_from, language))
    return [
        _section(f"*{candidate.reference}* · {line}"),
        InputBlock(
            block_id=retention_decision(person_id),
            label=t("Decision for %(reference)s", reference=candidate.reference),
            optional=True,
            element=RadioButtonsElement(
                action_id=retention_decision(person_id),
                options=[
                    Option(value=DecisionChoice.ERASE, text=t("Erase")),
                    Option(value=DecisionChoice.HOLD, text=t("Hold until a date")),
                ],
            ),
        ),
        InputBlock(
            block_id=retention_hold_until(person_id),
            label=t("Hold until"),
            optional=True,
            element=DatePickerElement(action_id=retention_hold_until(person_id)),
        ),
        InputBlock(
            block_id=retention_hold_reason(person_id),
            label=t("Reason for the hold"),
            optional=True,
            element=PlainTextInputElement(
                action_id=retention_hold_reason(person_id), max_length=HOLD_REASON_MAX_LENGTH
            ),
        ),
    ]


def retention_review_view(
    candidates: Sequence[RetentionCandidate], *, due: int, t: Translator
) -> View:
    """Up to a page of due records, each with its decision; how many more wait."""
    if not candidates:
        return View(
            type="modal",
            title=t("Retention review"),
            close=t("Close"),
            blocks=[_section(t("No record is waiting for a retention decision."))],
        )
    intro = t(
        "Decide on each record: erase it, or hold it until a date, with the reason. A record "
        "left undecided waits for the next review. Erasure cannot be undone."
    )
    blocks: list[Block] = [_section(intro)]
    for candidate in candidates:
        blocks += _candidate_blocks(candidate, t, t.language)
    if due > len(candidates):
        more = t.n(
            "%(count)s more record waits: it is listed once these are decided.",
            "%(count)s more records wait: they are listed once these are decided.",
            due - len(candidates),
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    metadata = ReviewMetadata(person_ids=[c.person_id for c in candidates])
    return View(
        type="modal",
        callback_id=RETENTION_REVIEW_FORM,
        title=t("Retention review"),
        submit=t("Save decisions"),
        close=t("Cancel"),
        private_metadata=metadata.dump(),
        blocks=blocks,
    )


def retention_done_view(applied: DecisionsApplied, undecided: int, t: Translator) -> View:
    """What the decisions did, and for each erased record the recipients to tell (Art 19)."""
    counts = t(
        "Erased: %(erased)s. Held: %(held)s. Left for the next review: %(undecided)s.",
        erased=len(applied.erased),
        held=applied.held,
        undecided=undecided,
    )
    blocks: list[Block] = [_section(counts)]
    refused = len(applied.refused) + applied.refused_unknown
    if refused:
        text = t.n(
            "Refused: %(count)s record is not due for a decision under the register's "
            "retention settings (decided or active since the list was shown) and was left as "
            "it is.",
            "Refused: %(count)s records are not due for a decision under the register's "
            "retention settings (decided or active since the list was shown) and were left as "
            "they are.",
            refused,
        )
        if applied.refused:
            text += "\n" + ", ".join(f"`{mrkdwn_escape(ref)}`" for ref in applied.refused)
        blocks.append(_section(text))
    for done in applied.erased:
        listed = recipients_text(done.recipients, t, shown=RECIPIENTS_PER_RECORD)
        blocks.append(_section(f"*{mrkdwn_escape(done.person_reference)}*\n{listed}"))
    return View(
        type="modal",
        title=PlainTextObject(text=t("Retention review")),
        close=t("Close"),
        blocks=blocks,
    )
