"""The person's card: everything the register holds about them, in one modal."""

from collections.abc import Callable, Sequence

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.customers.countries import country_name
from bot.customers.fields import data_labels, enum_label, field_label
from bot.slack.i18n import N_, Translator
from bot.slack.ids import (
    CARD_LIST,
    CARD_LIST_OPEN,
    CARD_LIST_PAGE,
    CONSENT_RECORD,
    DISCLOSURE_RECORD,
    MEETING_LOG,
    PERSON_CARD,
    PERSON_EDIT,
    REQUEST_FILE,
    RESTRICTION_LIFT,
    PersonField,
)
from bot.slack.lists import capped, more_text, packed_sections
from bot.slack.text import escaped, format_date, local_date, local_datetime, person_name
from storage.consents import ConsentView
from storage.disclosures import DisclosureView
from storage.enums import ConsentPurpose, ObjectionScope
from storage.persons import DisclosureLine, MeetingLine, ObjectionLine, PersonCard
from storage.phones import for_display

# Escaped text's length on the card; Slack takes 3000 characters a section, 2000 a field.
NOTES_SHOWN = 1200
TOPIC_SHOWN = 600
TOPIC_IN_LIST = 300
FIELD_SHOWN = 350
RECIPIENT_SHOWN = 80
CATEGORIES_SHOWN = 140
NOTHING = "–"
# The lines of each list the card shows, and its meetings (as many as storage gives it); the
# rest open from a button, a page at a time.
CARD_LINES = 8
CARD_MEETINGS = 10
PAGE_LINES = 40


def person_card_view(
    card: PersonCard, t: Translator, *, disclose: bool = False, notice: Sequence[Block] = ()
) -> View:
    """`disclose`: the viewer may record disclosures (a controller). `notice`: what the act
    just done on the card changed, shown above its fields."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{person_name(card.fields.first_name, card.fields.last_name)}*  ·  "
                f"{escaped(card.reference, 40)}"
            )
        ),
        *notice,
        *_field_sections(card, t),
        DividerBlock(),
        *[_list_section(card, name, t) for name in CARD_SECTIONS],
        SectionBlock(text=MarkdownTextObject(text=t("*Last meetings*"))),
        *[_meeting_section(meeting, t) for meeting in card.meetings[:CARD_MEETINGS]],
    ]
    every = max(card.meeting_count, len(card.meetings))
    if every > CARD_MEETINGS:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=more_text(every - CARD_MEETINGS, t)),
                accessory=ButtonElement(
                    text=t.n("Show all (%(count)d)", "Show all (%(count)d)", every),
                    action_id=CARD_LIST_OPEN,
                    value=f"meetings:{card.id}:0",
                ),
            )
        )
    if not card.meetings:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t("No meetings yet."))]))
    blocks += [
        ContextBlock(elements=[MarkdownTextObject(text=_record_line(card, t))]),
        ActionsBlock(
            elements=[
                ButtonElement(text=t("Edit"), action_id=PERSON_EDIT, value=str(card.id)),
                *_meeting_buttons(card, t),
                ButtonElement(text=t("File a request"), action_id=REQUEST_FILE, value=str(card.id)),
                ButtonElement(text=t("Consents"), action_id=CONSENT_RECORD, value=str(card.id)),
                *_disclosure_buttons(card, t, disclose),
                *_restriction_buttons(card, t),
            ]
        ),
    ]
    return View(
        type="modal",
        callback_id=PERSON_CARD,
        title=t("Person"),
        close=t("Close"),
        private_metadata=str(card.id),
        blocks=blocks,
    )


def saved_notice(text: str) -> list[Block]:
    """The notice a card shows above its fields once an act on it is saved (`text`: mrkdwn)."""
    return [SectionBlock(text=MarkdownTextObject(text=f":white_check_mark: {text}"))]


def saved_view(text: str, t: Translator) -> View:
    """The notice alone, in place of the form, where no card lies beneath it."""
    return View(type="modal", title=t("The register"), close=t("Close"), blocks=saved_notice(text))


def consent_saved_text(consent: ConsentView, t: Translator) -> str:
    """What the consent form saved: the purpose's state as it now stands."""
    purpose = enum_label(consent.purpose, t)
    day = consent.withdrawn_on or consent.given_on
    on = format_date(day, t.language) if day else NOTHING
    if consent.withdrawn_on is not None:
        return t("Saved: consent to “%(purpose)s” withdrawn on %(date)s.", purpose=purpose, date=on)
    return t("Saved: consent to “%(purpose)s” given on %(date)s.", purpose=purpose, date=on)


def disclosure_saved_text(disclosure: DisclosureView, t: Translator) -> str:
    return t(
        "Saved: the disclosure of %(data)s to *%(recipient)s* (%(kind)s).",
        recipient=escaped(disclosure.recipient, RECIPIENT_SHOWN),
        kind=enum_label(disclosure.recipient_kind, t).lower(),
        data=escaped(data_labels(disclosure.categories, t), CATEGORIES_SHOWN),
    )


def _meeting_buttons(card: PersonCard, t: Translator) -> list[ButtonElement]:
    """A restricted person's data is only stored (Art 18): no meeting is logged for them."""
    if card.restricted:
        return []
    return [ButtonElement(text=t("Log a meeting"), action_id=MEETING_LOG, value=str(card.id))]


def _disclosure_buttons(card: PersonCard, t: Translator, disclose: bool) -> list[ButtonElement]:
    if not disclose or card.restricted:
        return []
    return [
        ButtonElement(
            text=t("Record a disclosure"), action_id=DISCLOSURE_RECORD, value=str(card.id)
        )
    ]


def _restriction_buttons(card: PersonCard, t: Translator) -> list[ButtonElement]:
    """Only a controller opens a restricted card, and only a controller lifts the restriction."""
    if not card.restricted:
        return []
    return [
        ButtonElement(
            text=t("Lift the restriction"),
            action_id=RESTRICTION_LIFT,
            value=str(card.id),
            confirm=ConfirmObject(
                title=t("Lift the restriction?"),
                text=t(
                    "Tell the person before you lift it (Art 18(3)). Advisors will then find "
                    "the person again, and meetings can be logged."
                ),
                confirm=t("Lift"),
                deny=t("Cancel"),
            ),
        )
    ]


def _field_sections(card: PersonCard, t: Translator) -> list[Block]:
    fields = card.fields
    language = t.language

    def text(value: str | None) -> str:
        return escaped(value, FIELD_SHOWN) if value else NOTHING

    address = " ".join(part for part in (fields.postal_code, fields.post_office) if part)
    heard_from = enum_label(fields.heard_from, t) if fields.heard_from else None
    if fields.heard_from_text:
        heard_from = f"{heard_from or ''} {fields.heard_from_text}".strip()
    advisor = card.responsible_advisor_slack_user_id
    contact = [
        (PersonField.EMAIL, text(fields.email)),
        (
            PersonField.PHONE_NUMBERS,
            ", ".join(for_display(n) for n in fields.phone_numbers) or NOTHING,
        ),
        (PersonField.STREET_ADDRESS, text(fields.street_address)),
        (PersonField.POST_OFFICE, text(address)),
        (PersonField.MUNICIPALITY, text(fields.municipality)),
        (
            PersonField.NATIONALITY,
            country_name(fields.nationality, language) if fields.nationality else NOTHING,
        ),
        (
            PersonField.BIRTH_DATE,
            format_date(fields.birth_date, language) if fields.birth_date else NOTHING,
        ),
        (PersonField.GENDER, enum_label(fields.gender, t) if fields.gender else NOTHING),
    ]
    background = [
        (PersonField.EDUCATION, enum_label(fields.education, t) if fields.education else NOTHING),
        (
            PersonField.EMPLOYMENT_STATUS,
            enum_label(fields.employment_status, t) if fields.employment_status else NOTHING,
        ),
        (
            PersonField.LABOUR_MARKET_POSITION,
            enum_label(fields.labour_market_position, t)
            if fields.labour_market_position
            else NOTHING,
        ),
        (PersonField.HEARD_FROM, text(heard_from)),
        (PersonField.SOURCE, enum_label(fields.source, t)),
    ]
    labelled = [
        [MarkdownTextObject(text=f"*{field_label(name, t)}*\n{value}") for name, value in group]
        for group in (contact, background)
    ]
    labelled[1].append(
        MarkdownTextObject(
            text=t("*Responsible advisor*") + "\n" + (f"<@{advisor}>" if advisor else NOTHING)
        )
    )
    return [SectionBlock(fields=group) for group in labelled]


def _list_section(card: PersonCard, name: str, t: Translator) -> SectionBlock:
    """The list's first lines (the latest consents), how many more, and a button to them all."""
    title, lines_of, empty = CARD_LISTS[name]
    lines = lines_of(card, t)
    shown, more = capped(lines, CARD_LINES)
    if not lines:
        shown = [t(empty)]
    elif more:
        shown.append(more_text(more, t))
    button = (
        ButtonElement(
            text=t.n("Show all (%(count)d)", "Show all (%(count)d)", len(lines)),
            action_id=CARD_LIST_OPEN,
            value=f"{name}:{card.id}:0",
        )
        if more
        else None
    )
    return SectionBlock(
        text=MarkdownTextObject(text="\n".join([f"*{t(title)}*", *shown])), accessory=button
    )


def card_list_view(card: PersonCard, name: str, page: int, t: Translator) -> View:
    """One page of a list on the card, whole: every consent given and withdrawn over the years,
    with buttons to the pages before and after it."""
    title, lines_of, empty = CARD_LISTS[name]
    lines = lines_of(card, t)
    pages = max(1, -(-len(lines) // PAGE_LINES))
    page = min(max(page, 0), pages - 1)
    start = page * PAGE_LINES
    shown = lines[start : start + PAGE_LINES] or [t(empty)]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"*{t(title)}*  ·  "
                f"{person_name(card.fields.first_name, card.fields.last_name)}  ·  "
                f"{escaped(card.reference, 40)}"
            )
        ),
        *packed_sections(shown),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t.n(
                        "%(first)d–%(last)d of %(count)d",
                        "%(first)d–%(last)d of %(count)d",
                        len(lines),
                        first=start + 1 if lines else 0,
                        last=start + len(lines[start : start + PAGE_LINES]),
                    )
                )
            ]
        ),
    ]
    buttons = []
    if page > 0:
        value = f"{name}:{card.id}:{page - 1}"
        buttons.append(
            ButtonElement(text=t("Previous page"), action_id=CARD_LIST_PAGE, value=value)
        )
    if page < pages - 1:
        value = f"{name}:{card.id}:{page + 1}"
        buttons.append(ButtonElement(text=t("Next page"), action_id=CARD_LIST_PAGE, value=value))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return View(
        type="modal",
        callback_id=CARD_LIST,
        title=t(title),
        close=t("Back"),
        private_metadata=f"{name}:{card.id}:{page}",
        blocks=blocks,
    )


def _relationship_lines(card: PersonCard, t: Translator) -> list[str]:
    lines = []
    for relationship in card.relationships:
        since = format_date(relationship.started_on, t.language)
        line = t(
            "%(kind)s since %(date)s, legal basis: %(basis)s",
            kind=enum_label(relationship.kind, t),
            date=since,
            basis=enum_label(relationship.legal_basis, t),
        )
        if relationship.ended_on:
            line += " " + t("(ended %(date)s)", date=format_date(relationship.ended_on, t.language))
        lines.append(line)
    return lines


def _consent_lines(card: PersonCard, t: Translator) -> list[str]:
    lines = []
    # An objection by request says it with the request's number: its refusal row is not repeated.
    objected_by_request = any(o.scope is ObjectionScope.DIRECT_MARKETING for o in card.objections)
    for consent in card.consents:
        given = format_date(consent.given_at.date(), t.language)
        if consent.withdrawn_at == consent.given_at:
            if not (objected_by_request and consent.purpose is ConsentPurpose.MARKETING):
                lines.append(_refusal_line(consent.purpose, given, t))
            continue
        line = t("%(purpose)s: given %(date)s", purpose=enum_label(consent.purpose, t), date=given)
        if consent.withdrawn_at:
            withdrawn = format_date(consent.withdrawn_at.date(), t.language)
            line += ", " + t("withdrawn %(date)s", date=withdrawn)
        lines.append(line)
    objections = [_objection_line(objection, t) for objection in card.objections]
    return objections + lines[::-1]  # the latest first


def _objection_line(objection: ObjectionLine, t: Translator) -> str:
    """An objection decided in the person's favour (Art 21), with the request it came by."""
    on = local_date(objection.at, format_date(objection.at.date(), t.language))
    if objection.scope is ObjectionScope.DIRECT_MARKETING:
        return t(
            "Objected to direct marketing %(date)s (request #%(number)s)",
            date=on,
            number=objection.request_id,
        )
    return t(
        "Objection to other processing upheld %(date)s (request #%(number)s)",
        date=on,
        number=objection.request_id,
    )


def _refusal_line(purpose: ConsentPurpose, on: str, t: Translator) -> str:
    """A withdrawal with no consent before it: for marketing, an objection (Art 21(3))."""
    if purpose is ConsentPurpose.MARKETING:
        return t("Objected to direct marketing %(date)s", date=on)
    return t("%(purpose)s: refused %(date)s", purpose=enum_label(purpose, t), date=on)


def _request_lines(card: PersonCard, t: Translator) -> list[str]:
    lines = [
        t(
            "%(kind)s (%(status)s), due %(date)s",
            kind=enum_label(request.kind, t),
            status=enum_label(request.status, t),
            date=format_date(request.due_on, t.language),
        )
        for request in card.open_requests
    ]
    return lines


def _disclosure_lines(card: PersonCard, t: Translator) -> list[str]:
    return [_disclosure_line(disclosure, t) for disclosure in card.disclosures]


def _disclosure_line(disclosure: DisclosureLine, t: Translator) -> str:
    on = local_date(
        disclosure.disclosed_at, format_date(disclosure.disclosed_at.date(), t.language)
    )
    categories = escaped(data_labels(disclosure.categories, t), CATEGORIES_SHOWN)
    return t(
        "%(date)s to *%(recipient)s* (%(kind)s): %(data)s",
        date=on,
        recipient=escaped(disclosure.recipient, RECIPIENT_SHOWN),
        kind=enum_label(disclosure.recipient_kind, t).lower(),
        data=categories,
    )


def _meeting_section(meeting: MeetingLine, t: Translator) -> SectionBlock:
    when = local_datetime(meeting.occurred_at, format_date(meeting.occurred_at.date(), t.language))
    head = f"{when} · {enum_label(meeting.kind, t)}"
    if meeting.duration_minutes:
        head += " · " + t("%(minutes)d min", minutes=meeting.duration_minutes)
    if meeting.advisor_slack_user_id:
        head += f" · <@{meeting.advisor_slack_user_id}>"
    lines = [head]
    if meeting.topic:
        lines.append(f"*{escaped(meeting.topic, TOPIC_SHOWN)}*")
    if meeting.notes:
        lines.append(escaped(meeting.notes, NOTES_SHOWN))
    if meeting.follow_up_on:
        lines.append(t("Follow up on %(date)s", date=format_date(meeting.follow_up_on, t.language)))
    return SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))


def _record_line(card: PersonCard, t: Translator) -> str:
    parts = [
        t("Added %(date)s", date=format_date(card.created_at.date(), t.language)),
        t("updated %(date)s", date=format_date(card.updated_at.date(), t.language)),
    ]
    if card.restricted:
        since = card.restricted_since
        parts.append(
            t("restricted (Art 18) since %(date)s", date=format_date(since.date(), t.language))
            if since
            else t("restricted (Art 18)")
        )
    if card.retention_hold_until:
        until = format_date(card.retention_hold_until, t.language)
        parts.append(t("kept at least until %(date)s", date=until))
    return " · ".join(parts)


def _meeting_lines(card: PersonCard, t: Translator) -> list[str]:
    """Each meeting on one line, the latest first: its notes are on the card, for the latest."""
    lines = []
    for meeting in card.meetings:
        when = local_datetime(
            meeting.occurred_at, format_date(meeting.occurred_at.date(), t.language)
        )
        line = f"{when} · {enum_label(meeting.kind, t)}"
        if meeting.advisor_slack_user_id:
            line += f" · <@{meeting.advisor_slack_user_id}>"
        if meeting.topic:
            line += f" · *{escaped(meeting.topic, TOPIC_IN_LIST)}*"
        lines.append(line)
    return lines


CardLines = Callable[[PersonCard, Translator], list[str]]
# Each list on the card: its title, its lines, what it says when empty.
CARD_LISTS: dict[str, tuple[str, CardLines, str]] = {
    "relationships": (N_("Relationships"), _relationship_lines, N_("No relationships.")),
    "consents": (N_("Consents"), _consent_lines, N_("No consents.")),
    "disclosures": (N_("Disclosures"), _disclosure_lines, N_("No disclosures.")),
    "requests": (N_("Open requests"), _request_lines, N_("No open requests.")),
    "meetings": (N_("Meetings"), _meeting_lines, N_("No meetings yet.")),
}
# The lists with a section of their own on the card; the meetings have theirs.
CARD_SECTIONS = ("relationships", "consents", "disclosures", "requests")
