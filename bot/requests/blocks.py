"""The data-subject request modal, the names of its choices, and the filer's confirmation.

What the alert leaves out, for a controller who opens it: who asked, how to reach them, and
what they wrote. Shown in a modal, seen by the one who opened it alone."""

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    ExternalDataSelectElement,
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
from bot.meetings.blocks import person_option
from bot.requests.inputs import (
    CONTACT_MAX_LENGTH,
    DETAILS_MAX_LENGTH,
    FILE_ANYWAY,
    NAME_MAX_LENGTH,
    RequestFormMetadata,
)
from bot.slack.i18n import LANGUAGES, N_, Translator
from bot.slack.ids import PERSON_OPEN, REQUEST_FILE_ANYWAY, REQUEST_FORM, RequestField
from bot.slack.lists import capped, more_text
from bot.slack.text import escaped, format_date
from storage.enums import RequestChannel, RequestKind
from storage.requests import FilingWarnings, RequestFiling, RequestView
from storage.search import MIN_QUERY_LENGTH, PersonHit

# One form for every channel, so that each reads as an option and after "arrived".
CHANNEL_NAMES = {
    RequestChannel.EMAIL: N_("By e-mail"),
    RequestChannel.LETTER: N_("By letter"),
    RequestChannel.IN_PERSON: N_("In person"),
    RequestChannel.PHONE: N_("By phone"),
    RequestChannel.OTHER: N_("Otherwise"),
}
ALERTED = N_("The register's contact person has been alerted.")
NO_ONE_ALERTED = N_(
    "No one could be alerted: the register has no active contact person for register matters. "
    "Tell an admin (`/rekisteri lisaa @user contact`)."
)
LANGUAGE_NAMES = {"fi": N_("Finnish"), "en": N_("English")}


def kind_name(kind: RequestKind, t: Translator) -> str:
    return enum_label(kind, t)


def channel_name(channel: RequestChannel, t: Translator) -> str:
    return t(CHANNEL_NAMES[channel])


def language_name(language: str, t: Translator) -> str:
    return t(LANGUAGE_NAMES.get(language, LANGUAGE_NAMES["fi"]))


def language_in_sentence(language: str, t: Translator) -> str:
    """The language's name inside a sentence: Finnish writes it in lower case (suomi), English
    with a capital (Finnish)."""
    name = language_name(language, t)
    return name if t.language == "en" else name.lower()


def reference_text(request: RequestView, t: Translator) -> str:
    """The person's public reference, never their name (mrkdwn)."""
    if request.person_reference:
        return escaped(request.person_reference, 40)
    return t("a requester not in the register")


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=text, emoji=False))


def _chosen(options: list[Option], value: str | None) -> Option | None:
    return next((option for option in options if option.value == value), None)


# Open requests of the same kind named in the filing warning; the rest are counted.
OPEN_REQUESTS_SHOWN = 20


def filing_warning_blocks(
    warnings: FilingWarnings, t: Translator, *, received_on: date
) -> list[Block]:
    """What to check before filing, and the box that files it all the same."""
    lines = []
    if warnings.passed_due_on is not None:
        lines.append(
            t(
                "A request received on %(received)s was due on %(due)s, which has already "
                "passed. Check the date the request reached the agency.",
                received=format_date(received_on, t.language),
                due=format_date(warnings.passed_due_on, t.language),
            )
        )
    if warnings.open_requests:
        shown, more = capped(warnings.open_requests, OPEN_REQUESTS_SHOWN)
        numbers = ", ".join(f"#{number}" for number in shown)
        if more:
            numbers += " " + more_text(more, t)
        lines.append(
            t.n(
                "The person already has an open request of this kind: %(numbers)s.",
                "The person already has %(count)d open requests of this kind: %(numbers)s.",
                len(warnings.open_requests),
                numbers=numbers,
            )
        )
    text = "\n".join(f"• {line}" for line in lines)
    return [
        SectionBlock(
            text=MarkdownTextObject(text=t(":warning: *Check before filing:*") + "\n" + text)
        ),
        InputBlock(
            block_id=REQUEST_FILE_ANYWAY,
            label=t("Checked?"),
            optional=True,
            element=CheckboxesElement(
                action_id=REQUEST_FILE_ANYWAY,
                options=[Option(value=FILE_ANYWAY, label=t("File the request all the same"))],
            ),
        ),
    ]


def request_form_view(
    t: Translator,
    *,
    metadata: RequestFormMetadata,
    person: PersonHit | None = None,
    filed: RequestFiling | None = None,
    person_choice: Option | None = None,
    warnings: FilingWarnings | None = None,
) -> View:
    """The modal. The date received has no default: the advisor states the day the request
    reached the agency. `person`, when filed from their card, is already chosen. `filed`,
    `person_choice` and `warnings`: the form shown again as it was sent, with what to check."""
    kinds = [_option(kind.value, kind_name(kind, t)) for kind in RequestKind]
    channels = [_option(channel.value, channel_name(channel, t)) for channel in RequestChannel]
    languages = [_option(language, language_name(language, t)) for language in LANGUAGES]
    if person is not None:
        person_choice = person_option(person)
    warning: list[Block] = []
    if filed is not None and warnings:
        warning = filing_warning_blocks(warnings, t, received_on=filed.received_on)
    blocks: list[Block] = [
        ContextBlock(
            elements=[
                PlainTextObject(
                    text=t(
                        "The register's contact person gets an alert and works the request "
                        "from there."
                    ),
                    emoji=False,
                )
            ]
        ),
        *warning,
        InputBlock(
            block_id=RequestField.KIND,
            label=t("Kind of request"),
            element=StaticSelectElement(
                action_id=RequestField.KIND,
                options=kinds,
                initial_option=_chosen(kinds, filed.kind if filed else None),
            ),
        ),
        InputBlock(
            block_id=RequestField.PERSON_ID,
            label=t("Person"),
            optional=True,
            hint=t("Leave empty if they are not in the register, and give their name below."),
            element=ExternalDataSelectElement(
                action_id=RequestField.PERSON_ID,
                placeholder=t("Search by name, e-mail or phone"),
                min_query_length=MIN_QUERY_LENGTH,
                initial_option=person_choice,
            ),
        ),
        InputBlock(
            block_id=RequestField.REQUESTER_NAME,
            label=t("Requester's name"),
            optional=True,
            element=PlainTextInputElement(
                action_id=RequestField.REQUESTER_NAME,
                max_length=NAME_MAX_LENGTH,
                initial_value=filed.requester_name if filed else None,
            ),
        ),
        InputBlock(
            block_id=RequestField.REQUESTER_CONTACT,
            label=t("Requester's contact details"),
            optional=True,
            element=PlainTextInputElement(
                action_id=RequestField.REQUESTER_CONTACT,
                max_length=CONTACT_MAX_LENGTH,
                initial_value=filed.requester_contact if filed else None,
            ),
        ),
        InputBlock(
            block_id=RequestField.CHANNEL,
            label=t("Arrived"),
            element=StaticSelectElement(
                action_id=RequestField.CHANNEL,
                options=channels,
                initial_option=_chosen(channels, filed.channel if filed else None) or channels[0],
            ),
        ),
        InputBlock(
            block_id=RequestField.RECEIVED_ON,
            label=t("Received on"),
            hint=t(
                "The day the request reached the agency, not the day it is filed: the deadline "
                "runs from it."
            ),
            element=DatePickerElement(
                action_id=RequestField.RECEIVED_ON,
                initial_date=filed.received_on.isoformat() if filed else None,
            ),
        ),
        InputBlock(
            block_id=RequestField.LANGUAGE,
            label=t("Language the requester used"),
            element=StaticSelectElement(
                action_id=RequestField.LANGUAGE,
                options=languages,
                initial_option=_chosen(languages, filed.language if filed else None)
                or languages[0],
            ),
        ),
        InputBlock(
            block_id=RequestField.DETAILS,
            label=t("Details"),
            optional=True,
            element=PlainTextInputElement(
                action_id=RequestField.DETAILS,
                multiline=True,
                max_length=DETAILS_MAX_LENGTH,
                initial_value=filed.details if filed else None,
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=REQUEST_FORM,
        title=t("Data subject request"),
        submit=t("File request"),
        close=t("Cancel"),
        private_metadata=metadata.dump(),
        blocks=blocks,
    )


def filing_confirmation_text(request: RequestView, t: Translator, *, alerted: bool) -> str:
    """What the filer is told (mrkdwn): the request, the person's reference, the due date, and
    whether a contact person got the alert."""
    filed = t(
        "Filed request #%(number)s: %(kind)s, %(reference)s. Due on *%(due)s*.",
        number=request.id,
        kind=kind_name(request.kind, t).lower(),
        reference=reference_text(request, t),
        due=format_date(request.effective_due_on, t.language),
    )
    return f"{filed} {t(ALERTED if alerted else NO_ONE_ALERTED)}"


# Escaped text's length: Slack takes 3000 characters a section, 2000 a field.
DETAILS_SHOWN = 2800
FIELD_SHOWN = 1800
NOTHING = "–"


def _line(label: str, value: str | None, limit: int = FIELD_SHOWN) -> str:
    return f"*{label}*\n{escaped(value, limit) if value else NOTHING}"


def request_details_view(request: RequestView, t: Translator) -> View:
    details = request.details or ""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=t(
                    "*%(kind)s*, %(reference)s · received on %(received)s, %(channel)s",
                    kind=kind_name(request.kind, t),
                    reference=reference_text(request, t),
                    received=format_date(request.received_on, t.language),
                    channel=channel_name(request.channel, t).lower(),
                )
            )
        ),
        SectionBlock(
            fields=[
                MarkdownTextObject(text=_line(t("Requester's name"), request.requester_name)),
                MarkdownTextObject(
                    text=_line(t("Requester's contact details"), request.requester_contact)
                ),
            ]
        ),
        SectionBlock(text=MarkdownTextObject(text=_line(t("Details"), details, DETAILS_SHOWN))),
    ]
    if request.person_id is not None:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=t("Open card"), action_id=PERSON_OPEN, value=str(request.person_id)
                    )
                ]
            )
        )
    return View(
        type="modal",
        title=t("Request #%(number)s", number=request.id),
        close=t("Close"),
        blocks=blocks,
    )
