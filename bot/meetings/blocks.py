"""The meeting modal, the options of its person select, and the confirmation of a save."""

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    DateTimePickerElement,
    ExternalDataSelectElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.meetings.inputs import (
    MAX_DURATION_MINUTES,
    NOTES_MAX_LENGTH,
    TOPIC_MAX_LENGTH,
    MeetingFormMetadata,
)
from bot.slack.i18n import Translator
from bot.slack.ids import MEETING_FORM, MeetingField
from bot.slack.text import (
    escaped,
    excerpt,
    format_date,
    format_datetime,
    local_datetime,
    person_name,
)
from storage import vocabulary
from storage.enums import MeetingKind
from storage.meetings import LoggedMeeting
from storage.search import MIN_QUERY_LENGTH, PersonHit

OPTION_TEXT_LIMIT = 75
# The command's search echoed in the modal's notice; a topic echoed once escaped.
QUERY_SHOWN = 200
TOPIC_SHOWN = 600


def kind_name(kind: MeetingKind, t: Translator) -> str:
    return vocabulary.enum_label(kind, t.language)


def person_option(hit: PersonHit) -> Option:
    """ "First Last, Municipality" as plain text, so nothing in a name is read as markup."""
    text = f"{hit.first_name} {hit.last_name}".strip()
    if hit.municipality:
        text = f"{text}, {hit.municipality}"
    return Option(
        value=str(hit.id), text=PlainTextObject(text=excerpt(text, OPTION_TEXT_LIMIT), emoji=False)
    )


def person_options(hits: list[PersonHit]) -> list[Option]:
    return [person_option(hit) for hit in hits]


def kind_option(kind: MeetingKind, t: Translator) -> Option:
    return Option(value=kind.value, text=PlainTextObject(text=kind_name(kind, t)))


def meeting_form_view(
    t: Translator,
    *,
    metadata: MeetingFormMetadata,
    now: datetime,
    person: PersonHit | None = None,
    notice: str | None = None,
) -> View:
    """The modal; `person` preselected, `notice` (plain text) above the person select."""
    blocks: list[Block] = []
    if notice:
        blocks.append(ContextBlock(elements=[PlainTextObject(text=notice, emoji=False)]))
    blocks += [
        InputBlock(
            block_id=MeetingField.PERSON_ID,
            label=t("Who"),
            element=ExternalDataSelectElement(
                action_id=MeetingField.PERSON_ID,
                placeholder=t("Search by name, e-mail or phone"),
                min_query_length=MIN_QUERY_LENGTH,
                initial_option=person_option(person) if person else None,
            ),
        ),
        InputBlock(
            block_id=MeetingField.OCCURRED_AT,
            label=t("When"),
            element=DateTimePickerElement(
                action_id=MeetingField.OCCURRED_AT, initial_date_time=int(now.timestamp())
            ),
        ),
        InputBlock(
            block_id=MeetingField.DURATION_MINUTES,
            label=t("Duration (minutes)"),
            optional=True,
            element=NumberInputElement(
                action_id=MeetingField.DURATION_MINUTES,
                is_decimal_allowed=False,
                min_value=1,
                max_value=MAX_DURATION_MINUTES,
            ),
        ),
        InputBlock(
            block_id=MeetingField.KIND,
            label=t("Kind"),
            element=StaticSelectElement(
                action_id=MeetingField.KIND,
                options=[kind_option(kind, t) for kind in MeetingKind],
                initial_option=kind_option(MeetingKind.MEETING, t),
            ),
        ),
        InputBlock(
            block_id=MeetingField.TOPIC,
            label=t("Topic"),
            optional=True,
            element=PlainTextInputElement(
                action_id=MeetingField.TOPIC, max_length=TOPIC_MAX_LENGTH
            ),
        ),
        InputBlock(
            block_id=MeetingField.NOTES,
            label=t("Notes"),
            optional=True,
            element=PlainTextInputElement(
                action_id=MeetingField.NOTES, multiline=True, max_length=NOTES_MAX_LENGTH
            ),
        ),
        InputBlock(
            block_id=MeetingField.FOLLOW_UP_ON,
            label=t("Follow-up date"),
            optional=True,
            element=DatePickerElement(action_id=MeetingField.FOLLOW_UP_ON),
        ),
    ]
    return View(
        type="modal",
        callback_id=MEETING_FORM,
        title=t("Log a meeting"),
        submit=t("Save meeting"),
        close=t("Cancel"),
        private_metadata=metadata.dump(),
        blocks=blocks,
    )


def search_notice(query: str, hits: int, t: Translator) -> str | None:
    """What the modal says about the command's search when it did not pick one person."""
    if not query or hits == 1:
        return None
    if len(query) < MIN_QUERY_LENGTH:
        return t.n(
            "Type at least %(count)d character to search.",
            "Type at least %(count)d characters to search.",
            MIN_QUERY_LENGTH,
        )
    if hits == 0:
        return t(
            "No one in the register matches “%(query)s”. Search below.",
            query=excerpt(query, QUERY_SHOWN),
        )
    return t("Several people match “%(query)s”. Choose below.", query=excerpt(query, QUERY_SHOWN))


def confirmation_text(meeting: LoggedMeeting, t: Translator, zone: ZoneInfo) -> str:
    """What was saved, for the staff member who saved it (mrkdwn, names escaped)."""
    fallback = format_datetime(meeting.occurred_at, t.language, zone)
    lines = [
        t(
            "Saved: %(kind)s with *%(name)s*, %(when)s.",
            kind=kind_name(meeting.kind, t).lower(),
            name=person_name(meeting.first_name, meeting.last_name),
            when=local_datetime(meeting.occurred_at, fallback),
        )
        if meeting.created
        else t(
            "This meeting with *%(name)s* was already saved.",
            name=person_name(meeting.first_name, meeting.last_name),
        )
    ]
    if meeting.topic:
        lines.append(t("Topic: %(topic)s", topic=escaped(meeting.topic, TOPIC_SHOWN)))
    if meeting.follow_up_on:
        lines.append(
            t("Follow-up on %(date)s.", date=format_date(meeting.follow_up_on, t.language))
        )
    return "\n".join(lines)
