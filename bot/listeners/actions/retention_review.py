"""The `retention_review` button on the weekly channel post: the controller's review modal."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.retention_review import REVIEW_PAGE, retention_review_view
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import RETENTION_REVIEW
from bot.inputs.retention_review import ReviewPolicy
from bot.middleware import require
from storage import retention
from storage.permissions import Permission
from storage.staff import StaffMember


def open_review(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    clock: AgencyClock,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    ack()
    policy = ReviewPolicy.parse(action.get("value"))
    today = clock.today()
    candidates = retention.review(
        session=session, actor=staff, today=today, policy=policy.policy(), limit=REVIEW_PAGE
    )
    due = retention.count_due(session=session, today=today, policy=policy.policy())
    view = retention_review_view(candidates, due=due, policy=policy, t=t)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: App) -> None:
    app.action(RETENTION_REVIEW, middleware=[require(Permission.RETENTION_DECIDE)])(open_review)
