"""`/tapaaminen` (`/meeting`): opens the meeting modal, with the person preselected when the
command's search finds exactly one.

The `meeting_log` button (value: a person id): the meeting modal with that person chosen.

From a message it opens the modal; from inside a modal (the card) it pushes it on top.

The meeting modal's submission: saved once per opened form, confirmed privately; refused
beside the person field for a restricted person (Art 18), whose data is only stored.

The person select of the meeting and request modals: its options come from a search, as
`/asiakas` finds; each search is audited with its modal's purpose."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.customers.named import person_named
from bot.meetings.blocks import confirmation_text, meeting_form_view, person_options, search_notice
from bot.meetings.inputs import MeetingCommand, MeetingFormMetadata, read_meeting_form
from bot.slack.clock import AgencyClock
from bot.slack.i18n import N_, Translator
from bot.slack.ids import COMMAND_MEETING, MEETING_FORM, MEETING_LOG, REQUEST_FORM, MeetingField
from bot.slack.inputs.person_search import PersonSearch
from bot.slack.inputs.view_state import InvalidForm
from bot.slack.kept_in_slack import MEETING_CONFIRMATION, record_named_message
from bot.slack.middleware import require
from bot.slack.modals import modal_of, show_modal
from bot.slack.reply import send_privately
from bot.slack.transactions import after_commit
from storage.db import Database
from storage.enums import Purpose
from storage.errors import PersonRestricted
from storage.meetings import log_meeting, person_for_form
from storage.permissions import Permission
from storage.search import search_persons
from storage.staff import StaffMember

PRESELECT_LIMIT = 2
RESTRICTED = N_(
    "This person's data is restricted (Art 18): it is only stored, so no meeting can be logged. "
    "If their data may be processed again, lift the restriction on their card first; tell the "
    "person before you lift it."
)


def open_meeting_form(
    ack: Ack,
    command: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    query = MeetingCommand.parse(command.get("text", "")).query
    ack()
    found = search_persons(
        session=session,
        viewer=staff,
        query=query,
        purpose=Purpose.MEETING_RECORD,
        limit=PRESELECT_LIMIT,
    )
    metadata = MeetingFormMetadata.new(response_url=command.get("response_url"), pushed=False)
    view = meeting_form_view(
        t,
        metadata=metadata,
        now=clock.now(),
        person=found.hits[0] if found.total == 1 else None,
        notice=search_notice(query, found.total, t),
    )
    client.views_open(trigger_id=command["trigger_id"], view=view)


def open_meeting_form_for_person(
    ack: Ack,
    body: dict[str, Any],
    person_id: int,
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
) -> None:
    ack()
    person = person_for_form(session=session, viewer=staff, person_id=person_id)
    pushed = modal_of(body) is not None
    metadata = MeetingFormMetadata.new(response_url=body.get("response_url"), pushed=pushed)
    show_modal(
        body, client, meeting_form_view(t, metadata=metadata, now=clock.now(), person=person)
    )


def save_meeting(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    session: Session,
    staff: StaffMember,
    t: Translator,
    clock: AgencyClock,
    context: BoltContext,
) -> None:
    metadata = MeetingFormMetadata.parse(view.get("private_metadata", ""))
    form = read_meeting_form(view["state"]["values"], now=clock.now(), today=clock.today())
    try:
        meeting = log_meeting(
            session=session, actor=staff, fields=form, idempotency_key=metadata.idempotency_key
        )
    except PersonRestricted as restricted:
        raise InvalidForm({MeetingField.PERSON_ID: RESTRICTED}) from restricted
    if metadata.pushed:
        ack(response_action="clear")  # closes the card beneath it too
    else:
        ack()
    text = confirmation_text(meeting, t, clock.zone)
    database: Database = context["database"]

    def confirm() -> None:
        posted = send_privately(
            client, user_id=staff.slack_user_id, response_url=metadata.response_url, text=text
        )
        if posted is not None:  # a direct message names the person: found again on erasure
            record_named_message(
                database,
                posted,
                kind=MEETING_CONFIRMATION,
                recipient=staff.slack_user_id,
                person_ids=[meeting.person_id],
            )

    after_commit(context, confirm)


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
    for name in COMMAND_MEETING:
        app.command(name, middleware=[require(Permission.MEETING_LOG)])(open_meeting_form)
    app.action(MEETING_LOG, middleware=[require(Permission.MEETING_LOG), person_named])(
        open_meeting_form_for_person
    )
    app.view(MEETING_FORM, middleware=[require(Permission.MEETING_LOG)])(save_meeting)
    app.options(
        MeetingField.PERSON_ID,
        matchers=[in_person_form],
        middleware=[require(Permission.PERSON_SEARCH)],
    )(suggest_persons)
