"""A controller's alert about a data-subject request, and what the filer is told at its end.

The alert shows where the request stands and offers the buttons that apply to it now. It
names the person by public reference only: no name, contact or free text about them.

The modals of a controller's alert buttons: how the identity was verified, the reasons for
an extension or a rejection, and what each act leaves to say.

What fulfilling a request shows the controller: the erasure confirmation, the restriction
modal, the outcome of each, and the recipients who must be told (Art 19)."""

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.customers.fields import enum_label
from bot.requests.blocks import (
    OPEN_REQUESTS_SHOWN,
    channel_name,
    kind_name,
    language_in_sentence,
    reference_text,
)
from bot.requests.inputs import (
    OTHER_PREFIX,
    REASON_MAX_LENGTH,
    VERIFICATION_TEXT_MAX_LENGTH,
    ObjectionDecision,
    RequestModalMetadata,
    VerificationMethod,
)
from bot.requests.recipients import recipients_blocks
from bot.slack.i18n import N_, Translator, translator
from bot.slack.ids import (
    ANSWER_DELIVERY,
    ANSWERED_ON,
    EXTENSION_REASON,
    IDENTITY_VERIFICATION,
    IDENTITY_VERIFICATION_TEXT,
    OBJECTION_DECISION,
    OBJECTION_REASONS,
    OBJECTION_SCOPE,
    REJECTION_REASON,
    REQUEST_ACTIONS,
    REQUEST_ANSWER_FORM,
    REQUEST_ANSWERED,
    REQUEST_ERASURE_FORM,
    REQUEST_EXTEND,
    REQUEST_EXTEND_FORM,
    REQUEST_FULFIL,
    REQUEST_OBJECTION_FORM,
    REQUEST_OPEN,
    REQUEST_REJECT,
    REQUEST_REJECT_FORM,
    REQUEST_RESTRICTION_FORM,
    REQUEST_START,
    REQUEST_VERIFY,
    REQUEST_VERIFY_FORM,
    RESTRICTION_REASON,
)
from bot.slack.lists import capped, more_text
from bot.slack.text import escaped, format_date, mrkdwn_escape
from storage.enums import AnswerDelivery, ObjectionScope, RequestStatus
from storage.erasure import ErasurePlan, KeptGround
from storage.requests import RecipientView, RequestView

# Escaped text's length in a field: Slack takes 2000 characters a field.
TEXT_SHOWN = 1000

VERIFICATION_NAMES = {
    VerificationMethod.KNOWN_EMAIL: N_("From the e-mail address the register knows"),
    VerificationMethod.IN_PERSON_ID: N_("In person, with an identity document"),
    VerificationMethod.STRONG_IDENTIFICATION: N_("Strong electronic identification"),
    VerificationMethod.OTHER: N_("Other"),
}


def verification_name(stored: str, t: Translator) -> str:
    """How the identity was verified, as the reader reads it (mrkdwn)."""
    if stored.startswith(OTHER_PREFIX):
        described = _shortened(stored.removeprefix(OTHER_PREFIX))
        return f"{t(VERIFICATION_NAMES[VerificationMethod.OTHER])}: {described}"
    try:
        return t(VERIFICATION_NAMES[VerificationMethod(stored)])
    except ValueError:
        return _shortened(stored)


def _shortened(text: str) -> str:
    return escaped(text, TEXT_SHOWN)


def _mention(slack_user_id: str | None) -> str:
    return f"<@{slack_user_id}>" if slack_user_id else "–"


def _field(label: str, value: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=f"*{label}*\n{value}")


def _due_text(request: RequestView, t: Translator) -> str:
    first_due = format_date(request.due_on, t.language)
    if request.extended_due_on is None:
        return first_due
    return t(
        "%(extended)s (extended; first due %(first)s)",
        extended=format_date(request.extended_due_on, t.language),
        first=first_due,
    )


def _fields(request: RequestView, t: Translator) -> list[MarkdownTextObject]:
    fields = [
        _field(t("Request"), kind_name(request.kind, t)),
        _field(t("Person"), reference_text(request, t)),
        _field(t("Received on"), format_date(request.received_on, t.language)),
        _field(t("Due on"), _due_text(request, t)),
        _field(t("Status"), enum_label(request.status, t)),
        _field(t("Handler"), _mention(request.handled_by)),
        _field(
            t("Identity verified"),
            verification_name(request.identity_verification, t)
            if is_verified(request) and request.identity_verification
            else t("Not yet"),
        ),
    ]
    if request.extension_reason:
        fields.append(_field(t("Reason for the extension"), _shortened(request.extension_reason)))
    if request.objection_scope:
        fields.append(_field(t("Objection to"), enum_label(request.objection_scope, t)))
    if request.resolution:
        fields.append(_field(t("Resolution"), _shortened(request.resolution)))
    if request.answer_delivery and request.answered_on:
        fields.append(
            _field(
                t("Answer delivered"),
                t(
                    "%(how)s, %(date)s",
                    how=enum_label(request.answer_delivery, t),
                    date=format_date(request.answered_on, t.language),
                ),
            )
        )
    return fields


def is_verified(request: RequestView) -> bool:
    return request.identity_verified_at is not None


def _buttons(request: RequestView, t: Translator) -> list[ButtonElement]:
    """The acts that apply to the request as it stands; once it is resolved, only its details.
    It is fulfilled only for a requester whose identity has been verified."""
    if not request.is_open and not request.awaits_answer:
        value = str(request.id)
        return [ButtonElement(text=t("Details"), action_id=REQUEST_OPEN, value=value)]
    return request_buttons(
        request.id,
        request.status,
        verified=is_verified(request),
        extended=request.extended_due_on is not None,
        t=t,
    )


def request_buttons(
    request_id: int, status: RequestStatus, *, verified: bool, extended: bool, t: Translator
) -> list[ButtonElement]:
    """The buttons of an open request as it stands, on its alert and on the Home tab."""
    value = str(request_id)
    details = ButtonElement(text=t("Details"), action_id=REQUEST_OPEN, value=value)
    if status is RequestStatus.FULFILLED:
        answered = ButtonElement(
            text=t("Record delivery"), action_id=REQUEST_ANSWERED, value=value, style="primary"
        )
        return [answered, details]
    buttons = []
    if status is RequestStatus.RECEIVED:
        buttons.append(
            ButtonElement(text=t("Start"), action_id=REQUEST_START, value=value, style="primary")
        )
    if verified:
        buttons.append(ButtonElement(text=t("Fulfil"), action_id=REQUEST_FULFIL, value=value))
    else:
        buttons.append(
            ButtonElement(text=t("Record identity check"), action_id=REQUEST_VERIFY, value=value)
        )
    if not extended:
        buttons.append(ButtonElement(text=t("Extend"), action_id=REQUEST_EXTEND, value=value))
    buttons.append(
        ButtonElement(text=t("Reject"), action_id=REQUEST_REJECT, value=value, style="danger")
    )
    return [*buttons, details]


def alert_blocks(request: RequestView, t: Translator) -> list[Block]:
    blocks: list[Block] = [
        HeaderBlock(text=t("Data subject request #%(number)s", number=request.id)),
        SectionBlock(fields=_fields(request, t)),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "Filed by %(filer)s · arrived %(channel)s · "
                        "the requester's language: %(language)s",
                        filer=_mention(request.filed_by),
                        channel=channel_name(request.channel, t).lower(),
                        language=language_in_sentence(request.language, t),
                    )
                )
            ]
        ),
    ]
    if request.awaits_answer:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t(AWAITS_ANSWER))]))
    blocks.append(ActionsBlock(block_id=REQUEST_ACTIONS, elements=_buttons(request, t)))
    return blocks


AWAITS_ANSWER = N_(
    ":hourglass_flowing_sand: Done in the register, but the request stays open and due until "
    "the answer reaches the requester. Send it, then press *Record delivery*: that closes it."
)


def alert_text(request: RequestView, t: Translator) -> str:
    """The notification's text: what the request is and where it stands."""
    return t(
        "Data subject request #%(number)s: %(kind)s, %(reference)s, due %(due)s. %(status)s.",
        number=request.id,
        kind=kind_name(request.kind, t).lower(),
        reference=reference_text(request, t),
        due=format_date(request.effective_due_on, t.language),
        status=enum_label(request.status, t),
    )


def filer_outcome_text(request: RequestView, t: Translator) -> str:
    """What the filer is told when the request is resolved: no personal data beyond the
    reference, and not the reasons, which the contact person sends to the requester."""
    values = {
        "number": request.id,
        "kind": kind_name(request.kind, t).lower(),
        "reference": reference_text(request, t),
    }
    if request.status is RequestStatus.REJECTED:
        return t(
            "The data subject request #%(number)s you filed (%(kind)s, %(reference)s) was "
            "rejected. The register's contact person replies to the requester with the reasons.",
            **values,
        )
    return t(
        "The data subject request #%(number)s you filed (%(kind)s, %(reference)s) has been "
        "completed.",
        **values,
    )


REJECTION_REPLY = N_(
    "Your request concerning your personal data (%(kind)s, received on %(received)s) cannot "
    "be fulfilled.\n\n"
    "Reasons: %(reasons)s\n\n"
    "You have the right to lodge a complaint with the supervisory authority, the Data "
    "Protection Ombudsman (tietosuojavaltuutettu, https://tietosuoja.fi), and the right to "
    "other legal remedies, such as bringing the matter before a court."
)

ALREADY_EXTENDED = N_(
    "This request was already extended once, to %(due)s. It cannot be extended again."
)
TOO_LATE = N_("The first due date, %(due)s, has passed: a request can only be extended before it.")


def _plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=False)


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


def _modal(
    callback_id: str,
    title: str,
    request: RequestView,
    blocks: list[Block],
    t: Translator,
    *,
    submit: str | None = None,
) -> View:
    """A form about the request, under its heading; submitting it acts on the request."""
    return View(
        type="modal",
        callback_id=callback_id,
        title=title,
        submit=submit or t("Save"),
        close=t("Cancel"),
        private_metadata=RequestModalMetadata(request_id=request.id).dump(),
        blocks=[_heading(request, t), *blocks],
    )


def verify_view(request: RequestView, t: Translator) -> View:
    """Asks only how the identity was verified: nothing from the identity itself is kept."""
    methods = [
        Option(value=method.value, text=_plain(t(VERIFICATION_NAMES[method])))
        for method in VerificationMethod
    ]
    blocks: list[Block] = [
        InputBlock(
            block_id=IDENTITY_VERIFICATION,
            label=t("How was the identity verified?"),
            hint=t("Record only how; do not write down document numbers or other identifiers."),
            element=StaticSelectElement(action_id=IDENTITY_VERIFICATION, options=methods),
        ),
        InputBlock(
            block_id=IDENTITY_VERIFICATION_TEXT,
            label=t("If other, how"),
            optional=True,
            element=PlainTextInputElement(
                action_id=IDENTITY_VERIFICATION_TEXT, max_length=VERIFICATION_TEXT_MAX_LENGTH
            ),
        ),
    ]
    return _modal(REQUEST_VERIFY_FORM, t("Identity check"), request, blocks, t)


def extend_view(request: RequestView, t: Translator, *, extended_due_on: date) -> View:
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=t(
                    "The due date moves from %(first)s to *%(extended)s*. A request can be "
                    "extended once, before its first due date, when it is complex or there are "
                    "many requests; the requester must be told why within the first month.",
                    first=format_date(request.due_on, t.language),
                    extended=format_date(extended_due_on, t.language),
                )
            )
        ),
        InputBlock(
            block_id=EXTENSION_REASON,
            label=t("Reason for the extension"),
            element=PlainTextInputElement(
                action_id=EXTENSION_REASON, multiline=True, max_length=REASON_MAX_LENGTH
            ),
        ),
    ]
    return _modal(REQUEST_EXTEND_FORM, t("Extend the deadline"), request, blocks, t)


def reject_view(request: RequestView, t: Translator) -> View:
    blocks: list[Block] = [
        InputBlock(
            block_id=REJECTION_REASON,
            label=t("Reasons for the rejection"),
            hint=t(
                "They go into the reply to the requester, which is written in %(language)s.",
                language=language_in_sentence(request.language, t),
            ),
            element=PlainTextInputElement(
                action_id=REJECTION_REASON, multiline=True, max_length=REASON_MAX_LENGTH
            ),
        ),
    ]
    return _modal(REQUEST_REJECT_FORM, t("Reject the request"), request, blocks, t)


def _notice(title: str, request: RequestView, blocks: list[Block], t: Translator) -> View:
    return View(
        type="modal",
        title=title,
        close=t("Close"),
        blocks=[_heading(request, t), *blocks],
    )


def extension_refusal(
    request: RequestView, *, today: date, language: str
) -> tuple[str, dict[str, str]] | None:
    """Why the request cannot be extended (an N_-marked message with its parameters, in
    mrkdwn), or None when it can."""
    if request.extended_due_on is not None:
        return ALREADY_EXTENDED, {"due": format_date(request.extended_due_on, language)}
    if today > request.due_on:
        return TOO_LATE, {"due": format_date(request.due_on, language)}
    return None


def extended_view(request: RequestView, t: Translator) -> View:
    text = t(
        "Extended. The new due date is *%(due)s*. Tell the requester why.",
        due=format_date(request.effective_due_on, t.language),
    )
    return _notice(t("Deadline extended"), request, [SectionBlock(text=text)], t)


def not_extendable_view(request: RequestView, t: Translator, *, why: str) -> View:
    """Why the request cannot be extended (`why` is a translated sentence)."""
    return _notice(t("Extend the deadline"), request, [SectionBlock(text=why)], t)


def rejection_reply(request: RequestView) -> str:
    """The Art 12(4) reply, in the language the requester used."""
    reply_t = translator(request.language)
    return reply_t(
        REJECTION_REPLY,
        kind=kind_name(request.kind, reply_t).lower(),
        received=format_date(request.received_on, reply_t.language),
        reasons=request.resolution or "",
    )


def rejected_view(request: RequestView, t: Translator) -> View:
    """The rejection's reply text, ready to copy into the answer to the requester."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=t(
                    "The request is rejected. Send the requester this reply (in %(language)s):",
                    language=language_in_sentence(request.language, t),
                )
            )
        ),
        SectionBlock(text=_plain(rejection_reply(request))),
    ]
    return _notice(t("Request rejected"), request, blocks, t)


TABLE_NAMES = {
    "persons": N_("the person's record"),
    "phone_numbers": N_("phone numbers"),
    "relationships": N_("relationships"),
    "consents": N_("consents"),
    "meetings": N_("meetings"),
    "disclosures": N_("disclosure records"),
    "data_subject_requests": N_("data subject requests"),
    "audit_events": N_("audit trail entries"),
    "slack_file_persons": N_("files in Slack (deleted from Slack too)"),
    "slack_message_persons": N_("messages in Slack naming the person (the name is removed)"),
    "distinct_persons": N_("records found to be of another person with similar details"),
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
PACKAGE_COMMENT = N_(
    "The copy of the data for request #%(number)s (%(reference)s): JSON for machines, HTML for "
    "the person. Send both to the requester securely."
)
PACKAGE_RESOLUTION = N_(
    "A copy of the data was made as JSON and HTML files for the contact person to send."
)
PORTABILITY_COMMENT = N_(
    "The data for request #%(number)s (%(reference)s) that the person provided, for processing "
    "on consent or contract (Art 20): JSON and CSV. Send both to the requester securely, then "
    "record the delivery on the alert."
)
PORTABILITY_RESOLUTION = N_(
    "The data the person provided was made as JSON and CSV files for the contact person to send."
)
MARKETING_OBJECTION_RESOLUTION = N_(
    "Objection to direct marketing recorded on %(date)s: no marketing, and left off the "
    "satisfaction survey's list."
)
OBJECTION_UPHELD_RESOLUTION = N_("Objection upheld: %(reasons)s")
ERASED_RESOLUTION = N_("The person was erased (erasure record %(erasure)s).")
RESTRICTED_RESOLUTION = N_("Processing was restricted.")
RECTIFIED_RESOLUTION = N_("Rectified: %(fields)s")
NOTHING_RECTIFIED = N_("Checked: nothing needed rectifying.")


def _table_name(name: str, t: Translator) -> str:
    return t(TABLE_NAMES[name]) if name in TABLE_NAMES else mrkdwn_escape(name)


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def erasure_view(request: RequestView, plan: ErasurePlan, t: Translator) -> View:
    """Everything that will go, what stays and on which ground, and whom to tell."""
    deleted = "\n".join(f"• {_table_name(rows.table, t)}: {rows.rows}" for rows in plan.deleted)
    kept = "\n".join(
        f"• {_table_name(rows.table, t)}: {rows.rows}, {t(GROUNDS[rows.ground])}"
        for rows in plan.kept
    )
    blocks: list[Block] = [_section(t("*Deleted for good:*") + "\n" + deleted)]
    if kept:
        blocks.append(_section(t("*Kept:*") + "\n" + kept))
    blocks += [
        *recipients_blocks(plan.recipients, t),
        _section(
            t(
                "Erasure cannot be undone. A record of it, by id, is kept so that it can be "
                "applied again if a backup is ever restored."
            )
        ),
    ]
    return _modal(
        REQUEST_ERASURE_FORM, t("Erase the person"), request, blocks, t, submit=t("Erase")
    )


OTHER_REQUESTS_FIRST = N_(
    "The person has other open requests: %(numbers)s. Work each to its end before erasing "
    "them (fulfil it, or reject it if it no longer applies): once the person is erased, "
    "nothing is left to fulfil those requests with."
)


def erasure_waits_view(request: RequestView, others: Sequence[int], t: Translator) -> View:
    """Why the person cannot be erased yet: their other open requests, to be worked first."""
    shown, more = capped(others, OPEN_REQUESTS_SHOWN)
    numbers = ", ".join(f"#{number}" for number in shown)
    if more:
        numbers += " " + more_text(more, t)
    text = t(OTHER_REQUESTS_FIRST, numbers=numbers)
    return _notice(t("Erase the person"), request, [_section(text)], t)


def restriction_view(request: RequestView, t: Translator) -> View:
    blocks: list[Block] = [
        _section(
            t(
                "The record is kept but not otherwise processed: advisors no longer find or "
                "open it, and it is left out of disclosures and reports until the contact person "
                "for register matters lifts the restriction."
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
    return _modal(
        REQUEST_RESTRICTION_FORM,
        t("Restrict processing"),
        request,
        blocks,
        t,
        submit=t("Restrict"),
    )


def done_view(
    request: RequestView, headline: str, recipients: Sequence[RecipientView], t: Translator
) -> View:
    """The outcome of an erasure or a restriction, with the recipients to tell."""
    return _notice(
        t("Request fulfilled"), request, [_section(headline), *recipients_blocks(recipients, t)], t
    )


SCOPE_HINTS = {
    ObjectionScope.DIRECT_MARKETING: N_(
        "Takes effect at once, with no weighing (Art 21(3)): no more marketing, and off the "
        "satisfaction survey's list."
    ),
    ObjectionScope.OTHER: N_(
        "Processing on legitimate interest (Art 21(1)): it stops unless the agency shows "
        "compelling legitimate grounds that override the person's interests, rights and "
        "freedoms."
    ),
}
DECISION_NAMES = {
    ObjectionDecision.UPHOLD: N_("Upheld: the processing stops"),
    ObjectionDecision.REFUSE: N_("Refused: compelling legitimate grounds"),
}


def objection_view(request: RequestView, t: Translator) -> View:
    """What the person objects to; for other processing than direct marketing, the contact
    person's decision and its reasons (a refusal's go to the requester with the right to
    complain)."""
    scopes = [
        Option(value=scope.value, text=_plain(enum_label(scope, t))) for scope in ObjectionScope
    ]
    decisions = [
        Option(value=decision.value, text=_plain(t(DECISION_NAMES[decision])))
        for decision in ObjectionDecision
    ]
    blocks: list[Block] = [
        _section("\n".join(f"• *{enum_label(s, t)}*: {t(SCOPE_HINTS[s])}" for s in ObjectionScope)),
        InputBlock(
            block_id=OBJECTION_SCOPE,
            label=t("The person objects to"),
            element=StaticSelectElement(action_id=OBJECTION_SCOPE, options=scopes),
        ),
        InputBlock(
            block_id=OBJECTION_DECISION,
            label=t("Decision (other processing only)"),
            optional=True,
            element=StaticSelectElement(action_id=OBJECTION_DECISION, options=decisions),
        ),
        InputBlock(
            block_id=OBJECTION_REASONS,
            label=t("Reasons for the decision"),
            optional=True,
            hint=t(
                "Required for other processing. A refusal's reasons go into the reply to the "
                "requester, with the right to complain."
            ),
            element=PlainTextInputElement(
                action_id=OBJECTION_REASONS, multiline=True, max_length=REASON_MAX_LENGTH
            ),
        ),
    ]
    return _modal(REQUEST_OBJECTION_FORM, t("Decide the objection"), request, blocks, t)


def fulfilled_view(request: RequestView, t: Translator) -> View:
    """The outcome of an objection, and what is left to do: send the answer, record it."""
    return _notice(
        t("Request fulfilled"),
        request,
        [_section(_shortened(request.resolution or "")), _section(t(AWAITS_ANSWER))],
        t,
    )


def answer_view(request: RequestView, t: Translator, *, today: date) -> View:
    """How and when the answer reached the requester: saving it completes the request."""
    ways = [
        Option(value=delivery.value, text=_plain(enum_label(delivery, t)))
        for delivery in AnswerDelivery
    ]
    blocks: list[Block] = [
        _section(
            t(
                "Record this once the answer has reached the requester: the request is then "
                "completed, and whoever filed it is told."
            )
        ),
        InputBlock(
            block_id=ANSWER_DELIVERY,
            label=t("How did the answer reach the requester?"),
            element=StaticSelectElement(action_id=ANSWER_DELIVERY, options=ways),
        ),
        InputBlock(
            block_id=ANSWERED_ON,
            label=t("On which day?"),
            element=DatePickerElement(action_id=ANSWERED_ON, initial_date=today.isoformat()),
        ),
    ]
    return _modal(REQUEST_ANSWER_FORM, t("Record delivery"), request, blocks, t)
