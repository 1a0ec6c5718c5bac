"""The person select of the meeting and request modals: its options come from a search, as
`/asiakas` finds; each search is audited with its modal's purpose."""

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks.meeting_form import person_options
from bot.ids import MEETING_FORM, REQUEST_FORM
from bot.inputs.person_search import PersonSearch
from bot.middleware import require
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.search import search_persons
from storage.staff import StaffMember

PURPOSES = {MEETING_FORM: Purpose.MEETING_RECORD, REQUEST_FORM: Purpose.DATA_SUBJECT_REQUEST}


def _callback_id(body: dict[str, Any]) -> str:
    """The modal the select sits in (a request that names no view is taken as the meeting's)."""
    return str((body.get("view") or {}).get("callback_id", MEETING_FORM))


def in_person_form(body: dict[str, Any]) -> bool:
    return _callback_id(body) in PURPOSES


def suggest_persons(
    ack: Ack, body: dict[str, Any], payload: dict[str, Any], session: Session, staff: StaffMember
) -> None:
    found = search_persons(
        session=session,
        viewer=staff,
        query=PersonSearch.parse(payload.get("value", "")).query,
        purpose=PURPOSES[_callback_id(body)],
    )
    ack(options=person_options(found.hits))


def register(app: App) -> None:
    app.options(
        "person_id", matchers=[in_person_form], middleware=[require(Permission.PERSON_SEARCH)]
    )(suggest_persons)
