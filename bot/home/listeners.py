"""The Home tab, published when a staff member opens it, and again with another page of their
follow-ups (`home_page`) or of a controller's open requests (`home_requests_page`) when they
turn it; the other list stays on its page."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.home.blocks import home_view
from bot.home.inputs import HomePages
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.ids import HOME_PAGE, HOME_REQUESTS_PAGE
from bot.slack.inputs.page_button import PageButton
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
    _publish(client, session, staff, t, clock, retention_policy, pages=HomePages())


def turn_home_page(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
    retention_policy: RetentionPolicy,
) -> None:
    ack()
    pages = HomePages.parse(body.get("view", {}).get("private_metadata", ""))
    page = PageButton.parse(action.get("value")).page
    if action.get("action_id") == HOME_REQUESTS_PAGE:
        pages = pages.model_copy(update={"requests": page})
    else:
        pages = pages.model_copy(update={"follow_ups": page})
    _publish(client, session, staff, t, clock, retention_policy, pages=pages)


def _publish(
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
    retention_policy: RetentionPolicy,
    *,
    pages: HomePages,
) -> None:
    today = clock.today()
    overview = home_overview(
        session=session,
        viewer=staff,
        today=today,
        policy=retention_policy,
        follow_up_page=pages.follow_ups,
        request_page=pages.requests,
    )
    view = home_view(staff, t, overview, zone=clock.zone, today=today)
    client.views_publish(user_id=staff.slack_user_id, view=view)


def register(app: App) -> None:
    app.event("app_home_opened", middleware=[require(Permission.HOME_VIEW)])(publish_home)
    app.action(HOME_PAGE, middleware=[require(Permission.HOME_VIEW)])(turn_home_page)
    app.action(HOME_REQUESTS_PAGE, middleware=[require(Permission.REQUEST_WORK)])(turn_home_page)
