"""The scheduled reminders: requests coming due, and an advisor's follow-ups of the day.

What goes to a channel carries counts only; a controller's direct message names requests by
the person's public reference, never by name, contact or free text.
"""

from datetime import date

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.customers.fields import enum_label
from bot.i18n import Translator
from bot.ids import PERSON_OPEN
from bot.requests.blocks import kind_name, reference_text
from bot.text import format_date, mrkdwn_escape, person_name
from storage.meetings import FollowUp, FollowUpReminder
from storage.requests import RequestView

# Lines of one section: a section's text holds 3000 characters.
REQUEST_LINES = 25


def _request_line(request: RequestView, t: Translator) -> str:
    return t(
        "%(reference)s  ·  %(kind)s  ·  due %(date)s  ·  %(status)s",
        reference=reference_text(request, t),
        kind=kind_name(request.kind, t),
        date=format_date(request.effective_due_on, t.language),
        status=enum_label(request.status, t),
    )


def _request_section(title: str, requests: list[RequestView], t: Translator) -> list[Block]:
    lines = [_request_line(request, t) for request in requests[:REQUEST_LINES]]
    more = len(requests) - REQUEST_LINES
    if more > 0:
        lines.append(t("And %(count)d more.", count=more))
    return [SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n" + "\n".join(lines)))]


def split_overdue(
    requests: list[RequestView], today: date
) -> tuple[list[RequestView], list[RequestView]]:
    """The overdue requests, and those still within their time."""
    overdue = [request for request in requests if request.effective_due_on < today]
    return overdue, [request for request in requests if request.effective_due_on >= today]


def deadlines_text(overdue: int, coming: int, t: Translator) -> str:
    """The counts alone: the channel's message, and the notification text of a direct one."""
    return t(
        "Data-subject requests: %(overdue)d overdue, %(coming)d due within 7 days.",
        overdue=overdue,
        coming=coming,
    )


def deadlines_blocks(requests: list[RequestView], t: Translator, today: date) -> list[Block]:
    """A controller's direct message: each request overdue or due within 7 days."""
    overdue, coming = split_overdue(requests, today)
    blocks: list[Block] = [HeaderBlock(text=t("Data-subject requests coming due"))]
    if overdue:
        blocks += _request_section(t("Overdue"), overdue, t)
    if coming:
        blocks += _request_section(t("Due within 7 days"), coming, t)
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t("Each request's own message has its buttons; the Home tab lists all.")
                )
            ]
        )
    )
    return blocks


def _follow_up_section(meeting: FollowUp, t: Translator) -> SectionBlock:
    line = t(
        "*%(name)s*  ·  %(reference)s",
        name=person_name(meeting.first_name, meeting.last_name),
        reference=mrkdwn_escape(meeting.person_reference),
    )
    if meeting.topic:
        line = f"{line}\n{mrkdwn_escape(meeting.topic)}"
    return SectionBlock(
        text=MarkdownTextObject(text=line),
        accessory=ButtonElement(
            action_id=PERSON_OPEN, text=t("Open card"), value=str(meeting.person_id)
        ),
    )


def follow_ups_text(reminder: FollowUpReminder, t: Translator) -> str:
    return t(
        "Your follow-ups today: %(count)d",
        count=len(reminder.follow_ups) + reminder.more,
    )


def follow_ups_blocks(reminder: FollowUpReminder, t: Translator, today: date) -> list[Block]:
    """An advisor's direct message: each follow-up due today, with a button to the card."""
    blocks: list[Block] = [
        HeaderBlock(text=t("Your follow-ups today, %(date)s", date=format_date(today, t.language)))
    ]
    blocks += [_follow_up_section(meeting, t) for meeting in reminder.follow_ups]
    if reminder.more > 0:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t("And %(count)d more on your Home tab.", count=reminder.more)
                    )
                ]
            )
        )
    return blocks
