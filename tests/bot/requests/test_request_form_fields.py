"""The request filing modal names its inputs by the vocabulary its reader uses."""

from datetime import date
from typing import Any

from bot.requests.blocks import request_form_view
from bot.requests.inputs import RequestFormMetadata, read_request_form
from bot.slack.i18n import translator
from bot.slack.ids import MeetingField, RequestField
from storage.enums import RequestChannel, RequestKind
from tests.bot.helpers.forms import input_ids

TODAY = date(2026, 11, 27)


def view_ids() -> list[tuple[str, str]]:
    metadata = RequestFormMetadata.new(response_url=None)
    return input_ids(request_form_view(translator("en"), metadata=metadata, today=TODAY))


def test_the_request_modal_has_exactly_the_request_fields() -> None:
    assert view_ids() == [(field.value, field.value) for field in RequestField]


def test_the_request_reader_reads_what_the_request_modal_names() -> None:
    submitted: dict[str, Any] = {
        RequestField.KIND: {"selected_option": {"value": RequestKind.ACCESS.value}},
        RequestField.PERSON_ID: {"selected_option": {"value": "7"}},
        RequestField.REQUESTER_NAME: {"value": "Maija Mallikas"},
        RequestField.REQUESTER_CONTACT: {"value": "maija@example.fi"},
        RequestField.CHANNEL: {"selected_option": {"value": RequestChannel.LETTER.value}},
        RequestField.RECEIVED_ON: {"selected_date": "2026-11-20"},
        RequestField.LANGUAGE: {"selected_option": {"value": "fi"}},
        RequestField.DETAILS: {"value": "Mitä tietoja minusta on?"},
    }
    state = {block: {action: submitted[block]} for block, action in view_ids()}

    filing = read_request_form(state, today=TODAY)

    assert (filing.kind, filing.person_id, filing.channel, filing.received_on) == (
        RequestKind.ACCESS,
        7,
        RequestChannel.LETTER,
        date(2026, 11, 20),
    )
    assert (filing.language, filing.details) == ("fi", "Mitä tietoja minusta on?")


def test_the_request_and_meeting_forms_share_the_person_select() -> None:
    # One options listener answers the person select of both modals.
    assert RequestField.PERSON_ID == MeetingField.PERSON_ID
