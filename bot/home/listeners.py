"""The Home tab, published when a staff member opens it."""

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.home.blocks import home_view
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.middleware import require
from storage.home import home_overview
from storage.permissions import Permission
from storage.retention import RetentionPolicy
from storage.staff import StaffMember


def publish_home(
    event: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
    retention_policy: RetentionPolicy,
) -> None:
    if event.get("tab") != "home":
        return
    today = clock.today()
    overview = home_overview(session=session, viewer=staff, today=today, policy=retention_policy)
    view = home_view(staff, t, overview, zone=clock.zone, today=today)
    client.views_publish(user_id=staff.slack_user_id, view=view)


def register(app: App) -> None:
    app.event("app_home_opened", middleware=[require(Permission.HOME_VIEW)])(publish_home)
