"""The scheduled reminders, rendered for the day their job ran: follow-ups, deadlines (a
controller's list, the channel's counts), the retention review, the audit alarm."""

from datetime import datetime
from typing import Any

from bot.blocks.reminders import (
    deadlines_blocks,
    deadlines_text,
    follow_ups_blocks,
    follow_ups_text,
    split_overdue,
)
from bot.controller_notices import ControllerNotice
from bot.i18n import N_
from bot.outbox.rendered import Post, Rendered, Scene, Skip, works_requests
from bot.retention.blocks import POSTED_REFERENCES, retention_post
from bot.staff.blocks import chain_problems
from storage import requests, retention
from storage.audit import Anchor, ChainReport, MissingEvents
from storage.meetings import follow_up_reminder
from storage.outbox import Claimed

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
        message.recipient, follow_ups_text(reminder, t), follow_ups_blocks(reminder, t, day)
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
    day, policy = scene.day(message), scene.settings.retention_policy
    due = retention.count_due(session=scene.session, today=day, policy=policy)
    if not due:
        return Skip("nothing_due")
    candidates = retention.due_for_review(
        session=scene.session, today=day, policy=policy, limit=POSTED_REFERENCES
    )
    text, blocks = retention_post(
        due=due,
        references=[candidate.reference for candidate in candidates],
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
