"""Blocks for `/asiakas`: the short help and the hit list.

The modal that records a consent given or withdrawn, or an objection to marketing.

The modal where a controller records a disclosure to an authority, expert or financier."""

from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.customers.fields import enum_label, field_label
from bot.customers.inputs import (
    DISCLOSED_CATEGORIES,
    GIVEN,
    RECIPIENT_MAX_LENGTH,
    WITHDRAWN,
    CardModalMetadata,
    HitListPage,
)
from bot.slack import ids
from bot.slack.i18n import N_, Translator
from bot.slack.ids import CONSENT_FORM, DISCLOSURE_FORM, ConsentField, DisclosureField
from bot.slack.text import escaped, format_date, local_date, person_name
from storage.enums import ConsentPurpose, RecipientKind
from storage.search import PersonHit, SearchResult

# The search echoed back, and a municipality, at most this long once escaped.
QUERY_SHOWN = 200
NAME_SHOWN = 120


def customer_help_blocks(t: Translator) -> list[Block]:
    return [
        SectionBlock(
            text=MarkdownTextObject(
                text="\n".join(
                    [
                        t("*Find a person:* `/asiakas virtanen`, an e-mail or a phone number."),
                        t("*Add a person:* `/asiakas uusi`, or the button below."),
                        t("*Log a meeting:* `/tapaaminen virtanen`."),
                    ]
                )
            )
        ),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text=t("New person"), action_id=ids.PERSON_NEW, value="new", style="primary"
                )
            ]
        ),
    ]


# A hit list is built for every search, as Block Kit's JSON directly: slack_sdk's models took
# about 0.7 ms to serialise a page of ten hits, a third of a request beyond the search. The
# tests parse it back into the models, which must give the same JSON.
BlockJson = dict[str, Any]


def _section(text: str) -> BlockJson:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> BlockJson:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _button(text: str, action_id: str, value: str) -> BlockJson:
    label = {"type": "plain_text", "text": text, "emoji": True}
    return {"type": "button", "action_id": action_id, "text": label, "value": value}


def hit_blocks(hit: PersonHit, t: Translator) -> list[BlockJson]:
    details = [f"*{person_name(hit.first_name, hit.last_name)}*", hit.reference]
    if hit.municipality:
        details.append(escaped(hit.municipality, NAME_SHOWN))
    if hit.last_meeting_at is not None:
        fallback = format_date(hit.last_meeting_at.date(), t.language)
        details.append(t("last met %(date)s", date=local_date(hit.last_meeting_at, fallback)))
    else:
        details.append(t("no meetings yet"))
    value = str(hit.id)
    buttons = [
        _button(t("Open card"), ids.PERSON_OPEN, value),
        _button(t("Edit"), ids.PERSON_EDIT, value),
    ]
    if hit.restricted:  # only stored (Art 18), as the card says: no meeting is logged
        details.append(t("restricted (Art 18)"))
    else:
        buttons.append(_button(t("Log a meeting"), ids.MEETING_LOG, value))
    return [
        _section(" · ".join(details)),
        {"type": "actions", "block_id": f"hit_{hit.id}", "elements": buttons},
    ]


# Hits an `/asiakas` page shows; its buttons turn to the others.
HITS_A_PAGE = 10


def _page_buttons(query: str, result: SearchResult, page: int, t: Translator) -> list[BlockJson]:
    def turn(text: str, to: int) -> BlockJson:
        return _button(text, ids.HIT_LIST_PAGE, HitListPage(query=query, page=to).dump())

    buttons = []
    if page > 0:
        buttons.append(turn(t("Previous page"), page - 1))
    if result.more > 0:
        buttons.append(turn(t("Next page"), page + 1))
    return buttons


def hit_list_blocks(
    query: str, result: SearchResult, t: Translator, *, page: int = 0
) -> list[BlockJson]:
    """The hits of one page (from 0), with buttons to the pages before and after it."""
    shown = escaped(query, QUERY_SHOWN)
    if not result.hits:
        nothing = t(
            "No one in the register matches “%(query)s”. Check the spelling, or add a new person.",
            query=shown,
        )
        return [_section(nothing), *(b.to_dict() for b in customer_help_blocks(t)[1:])]
    blocks = [
        _section(
            t("Best matches for “%(query)s”:", query=shown)
            if page == 0
            else t("Matches for “%(query)s”, page %(page)d:", query=shown, page=page + 1)
        )
    ]
    for hit in result.hits:
        blocks += hit_blocks(hit, t)
    if result.more > 0:
        more = (
            t.n(
                "More than %(count)d other person matches.",
                "More than %(count)d other people match.",
                result.more,
            )
            if result.total_is_capped
            else t.n("%(count)d more person matches.", "%(count)d more people match.", result.more)
        )
        refine = t("Refine the search: add a first name, or use an e-mail or a phone number.")
        blocks.append(_context(f"{more} {refine}"))
    turns = _page_buttons(query, result, page, t)
    if turns:
        blocks.append({"type": "actions", "block_id": ids.HIT_LIST_PAGE, "elements": turns})
    blocks.append(_context(t("Only you see this. The look-up is logged.")))
    return blocks


def query_too_short_text(minimum: int, t: Translator) -> str:
    return t.n(
        "Type at least %(count)d character to search.",
        "Type at least %(count)d characters to search.",
        minimum,
    )


def _option(value: str, text: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=text, emoji=False))


def consent_form_view(t: Translator, *, metadata: CardModalMetadata, today: date) -> View:
    purposes = [_option(p.value, enum_label(p, t)) for p in ConsentPurpose]
    statuses = [_option(GIVEN, t("Given")), _option(WITHDRAWN, t("Withdrawn or objected"))]
    return View(
        type="modal",
        callback_id=CONSENT_FORM,
        title=t("Consent"),
        submit=t("Save"),
        close=t("Cancel"),
        private_metadata=metadata.dump(),
        blocks=[
            InputBlock(
                block_id=ConsentField.PURPOSE,
                label=t("Purpose"),
                element=StaticSelectElement(action_id=ConsentField.PURPOSE, options=purposes),
            ),
            InputBlock(
                block_id=ConsentField.STATUS,
                label=t("The person has"),
                element=StaticSelectElement(action_id=ConsentField.STATUS, options=statuses),
            ),
            InputBlock(
                block_id=ConsentField.DATE,
                label=t("Date"),
                element=DatePickerElement(
                    action_id=ConsentField.DATE, initial_date=today.isoformat()
                ),
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t(
                            "An objection to direct marketing (Art 21(3)) is Marketing, "
                            "withdrawn. Withdrawn consents leave the person out of the "
                            "satisfaction survey and of disclosures."
                        )
                    )
                ]
            ),
        ],
    )


KIND_NAMES = {
    RecipientKind.AUTHORITY: N_("Authority"),
    RecipientKind.EXPERT: N_("Expert"),
    RecipientKind.FINANCIER: N_("Financier"),
}


def disclosure_form_view(t: Translator, *, metadata: CardModalMetadata) -> View:
    kinds = [_option(kind.value, t(name)) for kind, name in KIND_NAMES.items()]
    categories = [_option(name, field_label(name, t)) for name in DISCLOSED_CATEGORIES]
    return View(
        type="modal",
        callback_id=DISCLOSURE_FORM,
        title=t("Disclosure"),
        submit=t("Save"),
        close=t("Cancel"),
        private_metadata=metadata.dump(),
        blocks=[
            InputBlock(
                block_id=DisclosureField.RECIPIENT,
                label=t("Recipient"),
                element=PlainTextInputElement(
                    action_id=DisclosureField.RECIPIENT, max_length=RECIPIENT_MAX_LENGTH
                ),
            ),
            InputBlock(
                block_id=DisclosureField.RECIPIENT_KIND,
                label=t("Kind of recipient"),
                element=StaticSelectElement(
                    action_id=DisclosureField.RECIPIENT_KIND, options=kinds
                ),
            ),
            InputBlock(
                block_id=DisclosureField.CATEGORIES,
                label=t("Data disclosed"),
                element=CheckboxesElement(action_id=DisclosureField.CATEGORIES, options=categories),
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t(
                            "Needs the person's consent to disclosure to this kind of "
                            "recipient, given and not withdrawn."
                        )
                    )
                ]
            ),
        ],
    )
