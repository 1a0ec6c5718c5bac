"""The meeting modal's person select: its options come from a search, as `/asiakas` finds."""

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks.meeting_form import person_options
from bot.ids import MEETING_FORM
from bot.middleware import require
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.search import search_persons
from storage.staff import StaffMember


def in_meeting_form(body: dict[str, Any]) -> bool:
    """The select sits in the meeting modal (a request that names no view is taken as such)."""
    return (body.get("view") or {}).get("callback_id", MEETING_FORM) == MEETING_FORM


def suggest_persons(
    ack: Ack, payload: dict[str, Any], session: Session, staff: StaffMember
) -> None:
    found = search_persons(
        session=session,
        viewer=staff,
        query=payload.get("value", ""),
        purpose=Purpose.MEETING_RECORD,
    )
    ack(options=person_options(found.hits))


def register(app: App) -> None:
    app.options(
        "person_id", matchers=[in_meeting_form], middleware=[require(Permission.PERSON_SEARCH)]
    )(suggest_persons)
