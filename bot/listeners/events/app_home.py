"""The Home tab, published when a staff member opens it."""

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.i18n import Translator
from bot.middleware import require
from storage.permissions import Permission
from storage.staff import StaffMember


def publish_home(
    event: dict[str, Any], client: WebClient, staff: StaffMember, t: Translator
) -> None:
    if event.get("tab") != "home":
        return
    client.views_publish(user_id=staff.slack_user_id, view=home_view(staff, t))


def register(app: App) -> None:
    app.event("app_home_opened", middleware=[require(Permission.HOME_VIEW)])(publish_home)
