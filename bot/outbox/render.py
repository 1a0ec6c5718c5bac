"""A message in the outbox, rendered when its turn comes: from the ids it names, as the register
stands then, in the recipient's language. Rendering only reads.

What rendering finds is one of: a post, an update of a message in place, a file upload; `Skip`
when there is nothing left to say (the request or person gone, the recipient no longer staff);
`Wait` when it must come after a message not yet delivered (an update before its alert).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from bot.blocks.reminders import (
    deadlines_blocks,
    deadlines_text,
    follow_ups_blocks,
    follow_ups_text,
    split_overdue,
)
from bot.blocks.request_alert import alert_blocks, alert_text, filer_outcome_text
from bot.blocks.request_fulfil import PACKAGE_COMMENT, recipients_text
from bot.blocks.retention_review import POSTED_REFERENCES, retention_post
from bot.i18n import N_, Translator, translator
from bot.inputs.retention_review import ReviewPolicy
from bot.settings import Settings
from storage import access_package, outbox, requests, retention
from storage import staff as staff_store
from storage.errors import NotFound
from storage.meetings import follow_up_reminder
from storage.models.enums import OutboxKind
from storage.outbox import Claimed
from storage.permissions import Permission
from storage.requests import RequestView
from storage.staff import StaffMember

NO_LONGER_YOURS = N_("You no longer handle data-subject requests.")
AUDIT_BROKEN = N_(
    "The nightly check found the audit trail broken at event %(event_id)d. "
    "Run `/rekisteri tarkastus` to see it, and find out who changed the database."
)
# An advisor's message holds a block a follow-up; Slack takes 50 blocks a message.
FOLLOW_UPS_SHOWN = 40


@dataclass(frozen=True)
class Post:
    channel: str
    text: str
    blocks: list[Block] | None = None


@dataclass(frozen=True)
class Update:
    channel: str
    ts: str
    text: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Upload:
    """Files with a comment, in the recipient's direct message with the bot (`channel`, when
    known; otherwise the comment is posted first to find it)."""

    recipient: str
    channel: str | None
    comment: str
    files: list[dict[str, Any]]


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Wait:
    reason: str


Rendered = Post | Update | Upload | Skip | Wait


@dataclass(frozen=True)
class Scene:
    """What every renderer may need: the register (read only) and the settings."""

    session: Session
    settings: Settings

    def member(self, slack_user_id: str) -> StaffMember | None:
        member = staff_store.find(session=self.session, slack_user_id=slack_user_id)
        return member if member is not None and member.active else None

    def t(self, member: StaffMember | None) -> Translator:
        language = member.language if member else None
        return translator(language or self.settings.default_language)

    def request(self, message: Claimed) -> RequestView | None:
        if message.request_id is None:
            return None
        return requests.request_view(session=self.session, request_id=message.request_id)

    def day(self, message: Claimed) -> date:
        return date.fromisoformat(message.params["on"])


def _works_requests(member: StaffMember | None) -> bool:
    return member is not None and member.can(Permission.REQUEST_WORK)


def request_alert(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None:
        return Skip("request_gone")
    if not _works_requests(member):
        return Skip("not_a_controller")
    t = scene.t(member)
    return Post(message.recipient, alert_text(request, t), alert_blocks(request, t))


def request_update(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    if request is None:
        return Skip("request_gone")
    alert = next(
        (
            alert
            for alert in requests.alerts_for(session=scene.session, request_id=request.id)
            if alert.slack_user_id == message.recipient
        ),
        None,
    )
    if alert is None:
        pending = outbox.has_pending(
            session=scene.session,
            kind=OutboxKind.REQUEST_ALERT,
            request_id=request.id,
            recipient=message.recipient,
        )
        return Wait("alert_pending") if pending else Skip("no_alert")
    member = scene.member(message.recipient)
    t = scene.t(member)
    if not _works_requests(member):
        return Update(alert.channel_id, alert.message_ts, t(NO_LONGER_YOURS))
    return Update(
        alert.channel_id, alert.message_ts, alert_text(request, t), alert_blocks(request, t)
    )


def filer_outcome(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None or member is None:
        return Skip("gone")
    return Post(message.recipient, filer_outcome_text(request, scene.t(member)))


def access_package_upload(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None or request.person_id is None:
        return Skip("person_gone")
    if member is None or not _works_requests(member):
        return Skip("not_a_controller")
    try:
        package = access_package.build_access_package(
            session=scene.session,
            actor=member,
            person_id=request.person_id,
            language=request.language,
            audited=False,
        )
    except NotFound:
        return Skip("person_gone")
    name = f"{package.person_reference}-{package.generated_at:%Y%m%d}"
    channel = next(
        (
            alert.channel_id
            for alert in requests.alerts_for(session=scene.session, request_id=request.id)
            if alert.slack_user_id == member.slack_user_id
        ),
        None,
    )
    comment = scene.t(member)(
        PACKAGE_COMMENT, number=request.id, reference=package.person_reference
    )
    files = [
        {
            "content": access_package.to_json(package),
            "filename": f"{name}.json",
            "title": f"{name}.json",
        },
        {
            "content": access_package.to_html(package),
            "filename": f"{name}.html",
            "title": f"{name}.html",
        },
    ]
    return Upload(member.slack_user_id, channel, comment, files)


def recipients_to_tell(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None or request.person_id is None or member is None:
        return Skip("gone")
    recipients = requests.recipients_to_notify(session=scene.session, person_id=request.person_id)
    if not recipients:
        return Skip("no_recipients")
    return Post(message.recipient, recipients_text(recipients, scene.t(member)))


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
    if not _works_requests(member):
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
        policy=ReviewPolicy.of(policy),
        t=scene.t(None),
    )
    return Post(message.recipient, text, blocks)


def audit_broken(scene: Scene, message: Claimed) -> Rendered:
    member = scene.member(message.recipient)
    if member is None:
        return Skip("not_staff")
    return Post(
        message.recipient, scene.t(member)(AUDIT_BROKEN, event_id=message.params["event_id"])
    )


RENDERERS: dict[OutboxKind, Callable[[Scene, Claimed], Rendered]] = {
    OutboxKind.REQUEST_ALERT: request_alert,
    OutboxKind.REQUEST_UPDATE: request_update,
    OutboxKind.FILER_OUTCOME: filer_outcome,
    OutboxKind.ACCESS_PACKAGE: access_package_upload,
    OutboxKind.RECIPIENTS_TO_TELL: recipients_to_tell,
    OutboxKind.FOLLOW_UPS: follow_ups,
    OutboxKind.REQUEST_DEADLINES: request_deadlines,
    OutboxKind.REQUEST_DEADLINE_COUNTS: request_deadline_counts,
    OutboxKind.RETENTION_REVIEW: retention_review,
    OutboxKind.AUDIT_BROKEN: audit_broken,
}


def render(scene: Scene, message: Claimed) -> Rendered:
    return RENDERERS[message.kind](scene, message)
