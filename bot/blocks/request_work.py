"""The modals of a controller's alert buttons: how the identity was verified, the reasons for
an extension or a rejection, and what each act leaves to say."""

from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.request_alert import VERIFICATION_NAMES
from bot.blocks.request_form import kind_name, language_name, reference_text
from bot.i18n import N_, Translator, translator
from bot.ids import (
    EXTENSION_REASON,
    IDENTITY_VERIFICATION,
    IDENTITY_VERIFICATION_TEXT,
    REJECTION_REASON,
    REQUEST_EXTEND_FORM,
    REQUEST_REJECT_FORM,
    REQUEST_VERIFY_FORM,
)
from bot.inputs.request_work import (
    REASON_MAX_LENGTH,
    VERIFICATION_TEXT_MAX_LENGTH,
    RequestModalMetadata,
    VerificationMethod,
)
from bot.text import format_date
from storage.requests import RequestView

REJECTION_REPLY = N_(
    "Your request concerning your personal data (%(kind)s, received on %(received)s) cannot "
    "be fulfilled.\n\n"
    "Reasons: %(reasons)s\n\n"
    "You have the right to lodge a complaint with the supervisory authority, the Data "
    "Protection Ombudsman (tietosuojavaltuutettu, https://tietosuoja.fi), and the right to "
    "seek a judicial remedy before a court."
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
    callback_id: str, title: str, request: RequestView, blocks: list[Block], t: Translator
) -> View:
    return View(
        type="modal",
        callback_id=callback_id,
        title=title,
        submit=t("Save"),
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
                language=language_name(request.language, t).lower(),
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


def extension_refusal(request: RequestView, t: Translator, *, today: date) -> str | None:
    """Why the request cannot be extended (mrkdwn), or None when it can."""
    if request.extended_due_on is not None:
        return t(ALREADY_EXTENDED, due=format_date(request.extended_due_on, t.language))
    if today > request.due_on:
        return t(TOO_LATE, due=format_date(request.due_on, t.language))
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
                    language=language_name(request.language, t).lower(),
                )
            )
        ),
        SectionBlock(text=_plain(rejection_reply(request))),
    ]
    return _notice(t("Request rejected"), request, blocks, t)
