"""The `retention_review` button on the weekly channel post: the controller's review modal.

The retention review submitted: each decision applied, then what was done."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.requests.recipients import send_rest_as_file
from bot.retention.blocks import (
    RECIPIENTS_PER_RECORD,
    REVIEW_PAGE,
    retention_done_view,
    retention_review_view,
)
from bot.retention.inputs import ReviewMetadata, read_decisions
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.ids import RETENTION_REVIEW, RETENTION_REVIEW_FORM
from bot.slack.middleware import require
from storage import retention
from storage.permissions import Permission
from storage.retention import RetentionPolicy
from storage.staff import StaffMember


def open_review(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    clock: AgencyClock,
    retention_policy: RetentionPolicy,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """Lists what the register's own retention settings find due; the button names nothing."""
    ack()
    today = clock.today()
    candidates = retention.review(
        session=session, actor=staff, today=today, policy=retention_policy, limit=REVIEW_PAGE
    )
    due = retention.count_due(session=session, today=today, policy=retention_policy)
    view = retention_review_view(candidates, due=due, t=t)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def save_decisions(
    ack: Ack,
    view: dict[str, Any],
    clock: AgencyClock,
    retention_policy: RetentionPolicy,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    """Each decision on a record the register's own settings find due; the rest refused."""
    metadata = ReviewMetadata.parse(view.get("private_metadata", ""))
    today = clock.today()
    values = (view.get("state") or {}).get("values", {})
    decisions = read_decisions(values, metadata.person_ids, today)
    applied = retention.apply_decisions(
        session=session,
        actor=staff,
        today=today,
        decisions=decisions,
        policy=retention_policy,
    )
    undecided = len(metadata.person_ids) - len(decisions)
    for done in applied.erased:
        send_rest_as_file(
            session=session,
            controller=staff.slack_user_id,
            key=f"erasure:{done.erasure_id}",
            reference=done.person_reference,
            recipients=done.recipients,
            shown=RECIPIENTS_PER_RECORD,
        )
    ack(response_action="update", view=retention_done_view(applied, undecided, t))


def register(app: App) -> None:
    app.action(RETENTION_REVIEW, middleware=[require(Permission.RETENTION_DECIDE)])(open_review)
    app.view(RETENTION_REVIEW_FORM, middleware=[require(Permission.RETENTION_DECIDE)])(
        save_decisions
    )
