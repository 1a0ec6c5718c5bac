"""The `retention_review` button on the weekly channel post: the controller's review modal."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.retention_review import REVIEW_PAGE, retention_review_view
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import RETENTION_REVIEW
from bot.middleware import require
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


def register(app: App) -> None:
    app.action(RETENTION_REVIEW, middleware=[require(Permission.RETENTION_DECIDE)])(open_review)
