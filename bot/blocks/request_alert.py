"""A controller's alert about a data-subject request, and what the filer is told at its end.

The alert shows where the request stands and offers the buttons that apply to it now. It
names the person by public reference only: no name, contact or free text about them.
"""

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.request_form import channel_name, kind_name, language_name, reference_text
from bot.customers.fields import enum_label
from bot.i18n import N_, Translator
from bot.ids import (
    REQUEST_ACTIONS,
    REQUEST_EXTEND,
    REQUEST_FULFIL,
    REQUEST_OPEN,
    REQUEST_REJECT,
    REQUEST_START,
    REQUEST_VERIFY,
)
from bot.inputs.request_work import OTHER_PREFIX, VerificationMethod
from bot.text import format_date, mrkdwn_escape
from storage.models.enums import RequestStatus
from storage.requests import RequestView

# Escaping can make text five times longer; Slack takes 2000 characters a field.
TEXT_SHOWN = 350

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
    return mrkdwn_escape(text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…")


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
    if request.resolution:
        fields.append(_field(t("Resolution"), _shortened(request.resolution)))
    return fields


def is_verified(request: RequestView) -> bool:
    return request.identity_verified_at is not None


def _buttons(request: RequestView, t: Translator) -> list[ButtonElement]:
    """The acts that apply to the request as it stands; once it is resolved, only its details.
    It is fulfilled only for a requester whose identity has been verified."""
    value = str(request.id)
    details = ButtonElement(text=t("Details"), action_id=REQUEST_OPEN, value=value)
    if not request.is_open:
        return [details]
    buttons = []
    if request.status is RequestStatus.RECEIVED:
        buttons.append(
            ButtonElement(text=t("Start"), action_id=REQUEST_START, value=value, style="primary")
        )
    if is_verified(request):
        buttons.append(ButtonElement(text=t("Fulfil"), action_id=REQUEST_FULFIL, value=value))
    else:
        buttons.append(
            ButtonElement(text=t("Identity verified"), action_id=REQUEST_VERIFY, value=value)
        )
    if request.extended_due_on is None:
        buttons.append(ButtonElement(text=t("Extend"), action_id=REQUEST_EXTEND, value=value))
    buttons.append(
        ButtonElement(text=t("Reject"), action_id=REQUEST_REJECT, value=value, style="danger")
    )
    return [*buttons, details]


def alert_blocks(request: RequestView, t: Translator) -> list[Block]:
    blocks: list[Block] = [
        HeaderBlock(text=t("Data-subject request #%(number)s", number=request.id)),
        SectionBlock(fields=_fields(request, t)),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "Filed by %(filer)s · arrived by %(channel)s · "
                        "the requester's language: %(language)s",
                        filer=_mention(request.filed_by),
                        channel=channel_name(request.channel, t).lower(),
                        language=language_name(request.language, t).lower(),
                    )
                )
            ]
        ),
    ]
    blocks.append(ActionsBlock(block_id=REQUEST_ACTIONS, elements=_buttons(request, t)))
    return blocks


def alert_text(request: RequestView, t: Translator) -> str:
    """The notification's text: what the request is and where it stands."""
    return t(
        "Data-subject request #%(number)s: %(kind)s, %(reference)s, due %(due)s. %(status)s.",
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
            "The data-subject request #%(number)s you filed (%(kind)s, %(reference)s) was "
            "rejected. The register's contact person replies to the requester with the reasons.",
            **values,
        )
    return t(
        "The data-subject request #%(number)s you filed (%(kind)s, %(reference)s) has been "
        "completed.",
        **values,
    )
