"""The scheduled reminders, rendered for the day their job ran: follow-ups, deadlines (a
controller's list, the channel's counts), the retention review, the audit alarm.

The scheduled reminders: requests coming due, and an advisor's follow-ups of the day.

What goes to a channel carries counts only; a controller's direct message names requests by
the person's public reference, never by name, contact or free text."""

from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.customers.fields import enum_label
from bot.meetings.blocks import TOPIC_SHOWN
from bot.outbox.rendered import Post, Rendered, Scene, Skip, works_requests
from bot.requests.blocks import kind_name, reference_text
from bot.retention.blocks import POSTED_REFERENCES, retention_post
from bot.slack.controller_notices import ControllerNotice
from bot.slack.i18n import N_, Translator
from bot.slack.ids import PERSON_OPEN
from bot.slack.text import escaped, format_date, mrkdwn_escape, person_name
from bot.staff.blocks import chain_problems
from storage import requests, retention
from storage.audit import Anchor, ChainReport, MissingEvents
from storage.meetings import FollowUp, FollowUpReminder, follow_up_reminder
from storage.outbox import Claimed
from storage.requests import RequestView

AUDIT_BROKEN = N_(
    "The nightly check found the audit trail broken at event %(event_id)d. "
    "Run `/rekisteri tarkastus` to see it, and find out who changed the database."
)
AUDIT_PROBLEM = N_(
    "The nightly check found a problem in the audit trail. "
    "Run `/rekisteri tarkastus` to see it, and find out who changed the database."
)
# An advisor's message holds a block a follow-up; Slack takes 50 blocks a message.
FOLLOW_UPS_SHOWN = 40


def follow_ups(scene: Scene, message: Claimed) -> Rendered:
    member = scene.member(message.recipient)
    if member is None:
        return Skip("not_staff")
    day = scene.day(message)
    reminder = follow_up_reminder(
        session=scene.session, viewer=member, today=day, limit=FOLLOW_UPS_SHOWN, audited=False
    )
    if not reminder.follow_ups:
        return Skip("nothing_due")
    t = scene.t(member)
    return Post(
        message.recipient,
        follow_ups_text(reminder, t),
        follow_ups_blocks(reminder, t, day),
        names=tuple(sorted({meeting.person_id for meeting in reminder.follow_ups})),
    )


def request_deadlines(scene: Scene, message: Claimed) -> Rendered:
    member = scene.member(message.recipient)
    if not works_requests(member):
        return Skip("not_a_controller")
    day = scene.day(message)
    coming = requests.coming_due(session=scene.session, today=day)
    if not coming:
        return Skip("nothing_due")
    overdue, within = split_overdue(coming, day)
    t = scene.t(member)
    text = deadlines_text(len(overdue), len(within), t)
    return Post(message.recipient, text, deadlines_blocks(coming, t, day))


def request_deadline_counts(scene: Scene, message: Claimed) -> Rendered:
    day = scene.day(message)
    coming = requests.coming_due(session=scene.session, today=day)
    if not coming:
        return Skip("nothing_due")
    overdue, within = split_overdue(coming, day)
    return Post(message.recipient, deadlines_text(len(overdue), len(within), scene.t(None)))


def retention_review(scene: Scene, message: Claimed) -> Rendered:
    day, policy = scene.day(message), scene.agency.retention_policy
    due = retention.due_summary(
        session=scene.session, today=day, policy=policy, limit=POSTED_REFERENCES
    )
    if not due.count:
        return Skip("nothing_due")
    text, blocks = retention_post(
        due=due.count,
        references=[candidate.reference for candidate in due.first],
        t=scene.t(None),
    )
    return Post(message.recipient, text, blocks)


def controller_notice(scene: Scene, message: Claimed) -> Rendered:
    member = scene.member(message.recipient)
    if not works_requests(member):
        return Skip("not_a_controller")
    notice = ControllerNotice.of_params(message.params)
    return Post(message.recipient, notice.text(scene.t(member)))


def chain_report_params(report: ChainReport) -> dict[str, Any]:
    """What the alarm says, as the outbox keeps it: ids, counts and the anchor's hash."""
    missing = report.missing
    return {
        "event_id": report.first_broken_id,
        "unverifiable": report.unverifiable,
        "foreign_epochs": report.foreign_epochs,
        "missing": None
        if missing is None
        else {
            "event_id": missing.anchor.event_id,
            "hash": missing.anchor.hash,
            "count": missing.anchor.count,
            "at": missing.anchor.at.isoformat(),
            "remaining": missing.remaining,
            "head_gone": missing.head_gone,
            "head_changed": missing.head_changed,
        },
    }


def _chain_report(params: dict[str, Any]) -> ChainReport:
    missing = params.get("missing")
    return ChainReport(
        checked=0,
        first_broken_id=params.get("event_id"),
        unverifiable=params.get("unverifiable", 0),
        foreign_epochs=params.get("foreign_epochs", 0),
        missing=None
        if missing is None
        else MissingEvents(
            anchor=Anchor(
                event_id=missing["event_id"],
                hash=missing["hash"],
                count=missing["count"],
                at=datetime.fromisoformat(missing["at"]),
            ),
            remaining=missing["remaining"],
            head_gone=missing["head_gone"],
            head_changed=missing["head_changed"],
        ),
    )


def audit_broken(scene: Scene, message: Claimed) -> Rendered:
    member = scene.member(message.recipient)
    if member is None:
        return Skip("not_staff")
    t = scene.t(member)
    report = _chain_report(message.params)
    lead = (
        t(AUDIT_BROKEN, event_id=report.first_broken_id)
        if report.first_broken_id is not None
        else t(AUDIT_PROBLEM)
    )
    return Post(message.recipient, "\n".join([lead, *chain_problems(report, t)]))


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
        lines.append(t.n("And %(count)d more.", "And %(count)d more.", more))
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
        "Data subject requests: %(overdue)d overdue, %(coming)d due within 7 days.",
        overdue=overdue,
        coming=coming,
    )


def deadlines_blocks(requests: list[RequestView], t: Translator, today: date) -> list[Block]:
    """A controller's direct message: each request overdue or due within 7 days."""
    overdue, coming = split_overdue(requests, today)
    blocks: list[Block] = [HeaderBlock(text=t("Data subject requests coming due"))]
    if overdue:
        blocks += _request_section(t("Overdue"), overdue, t)
    if coming:
        blocks += _request_section(t("Due within 7 days"), coming, t)
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "Each request's own message has its buttons; the Home tab lists the "
                        "soonest due."
                    )
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
        line = f"{line}\n{escaped(meeting.topic, TOPIC_SHOWN)}"
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
                        text=t.n(
                            "And %(count)d more on your Home tab.",
                            "And %(count)d more on your Home tab.",
                            reminder.more,
                        )
                    )
                ]
            )
        )
    return blocks
