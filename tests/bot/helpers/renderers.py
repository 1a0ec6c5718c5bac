"""The outbox's renderers that tests/bot/outbox/test_outbox_limits.py renders with a worst-case
register: the Block Kit limits test counts them as builders with a worst case."""

from collections.abc import Callable

from bot.outbox import reminders, render, request_messages, slack_copies
from bot.outbox.rendered import Rendered, Scene
from storage.outbox import Claimed

Renderer = Callable[[Scene, Claimed], Rendered]


def renderer_name(renderer: Renderer) -> str:
    return f"{renderer.__module__}.{renderer.__name__}"


RENDERERS_TESTED = {
    *(
        renderer_name(renderer)
        for renderer in (
            request_messages.request_alert,
            request_messages.request_update,
            request_messages.filer_outcome,
            request_messages.filing_confirmation,
            request_messages.access_package_upload,
            request_messages.portability_package_upload,
            request_messages.recipients_to_tell,
            reminders.follow_ups,
            reminders.request_deadlines,
            reminders.request_deadline_counts,
            reminders.retention_review,
            reminders.controller_notice,
            reminders.audit_broken,
        )
    ),
    # The dispatcher: each renderer it dispatches to is above or below.
    renderer_name(render.render),
}
# Rendered through the dispatcher, which hands the redaction the renderer of the message's kind.
THROUGH_THE_DISPATCHER = {
    renderer_name(slack_copies.delete_file),
    renderer_name(slack_copies.redact_message),
}
RENDERERS_TESTED |= THROUGH_THE_DISPATCHER
