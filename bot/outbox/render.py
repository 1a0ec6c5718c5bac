"""A message in the outbox, rendered when its turn comes: from the ids it names, as the register
stands then, in the recipient's language. Rendering only reads."""

from collections.abc import Callable

from bot.outbox import reminders, request_messages, slack_copies
from bot.outbox.rendered import Rendered, Scene
from storage.enums import OutboxKind
from storage.outbox import Claimed

RENDERERS: dict[OutboxKind, Callable[[Scene, Claimed], Rendered]] = {
    OutboxKind.REQUEST_ALERT: request_messages.request_alert,
    OutboxKind.REQUEST_UPDATE: request_messages.request_update,
    OutboxKind.FILER_OUTCOME: request_messages.filer_outcome,
    OutboxKind.ACCESS_PACKAGE: request_messages.access_package_upload,
    OutboxKind.PORTABILITY_PACKAGE: request_messages.portability_package_upload,
    OutboxKind.RECIPIENTS_TO_TELL: request_messages.recipients_to_tell,
    OutboxKind.FOLLOW_UPS: reminders.follow_ups,
    OutboxKind.REQUEST_DEADLINES: reminders.request_deadlines,
    OutboxKind.REQUEST_DEADLINE_COUNTS: reminders.request_deadline_counts,
    OutboxKind.RETENTION_REVIEW: reminders.retention_review,
    OutboxKind.AUDIT_BROKEN: reminders.audit_broken,
    OutboxKind.FILING_CONFIRMATION: request_messages.filing_confirmation,
    OutboxKind.CONTROLLER_NOTICE: reminders.controller_notice,
    OutboxKind.SLACK_FILE_DELETE: slack_copies.delete_file,
    OutboxKind.SLACK_MESSAGE_REDACT: lambda scene, message: slack_copies.redact_message(
        scene, message, render
    ),
}


def render(scene: Scene, message: Claimed) -> Rendered:
    return RENDERERS[message.kind](scene, message)
