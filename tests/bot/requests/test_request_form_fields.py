"""The request filing modal names its inputs by the vocabulary its reader uses."""

from datetime import date
from typing import Any

from slack_sdk.models.blocks import Option, PlainTextObject

from bot.requests.blocks import request_form_view
from bot.requests.inputs import (
    FILE_ANYWAY,
    RequestFormMetadata,
    files_anyway,
    person_choice,
    read_request_form,
)
from bot.slack.i18n import translator
from bot.slack.ids import REQUEST_FILE_ANYWAY, MeetingField, RequestField
from storage.enums import RequestChannel, RequestKind
from storage.requests import FilingWarnings, RequestFiling
from tests.bot.helpers.forms import input_ids

TODAY = date(2026, 11, 27)


def view_ids() -> list[tuple[str, str]]:
    metadata = RequestFormMetadata.new(response_url=None)
    return input_ids(request_form_view(translator("en"), metadata=metadata))


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


def test_the_date_received_has_no_default() -> None:
    view = request_form_view(translator("en"), metadata=RequestFormMetadata.new(response_url=None))
    (received,) = [
        block for block in view.to_dict()["blocks"] if block.get("block_id") == "received_on"
    ]
    assert "initial_date" not in received["element"]


def test_the_form_shown_again_keeps_what_was_sent_and_asks_to_confirm_the_warnings() -> None:
    filed = RequestFiling(
        kind=RequestKind.ERASURE,
        channel=RequestChannel.LETTER,
        received_on=date(2026, 10, 1),
        person_id=7,
        details="Poistakaa tietoni.",
        language="en",
    )
    person = Option(value="7", text=PlainTextObject(text="R-ABCDE, Esimerkkilä"))
    warnings = FilingWarnings(passed_due_on=date(2026, 11, 2), open_requests=(3, 5))

    view = request_form_view(
        translator("fi"),
        metadata=RequestFormMetadata.new(response_url=None),
        filed=filed,
        person_choice=person,
        warnings=warnings,
    ).to_dict()

    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks["kind"]["element"]["initial_option"]["value"] == "erasure"
    assert blocks["person_id"]["element"]["initial_option"]["value"] == "7"
    assert blocks["channel"]["element"]["initial_option"]["value"] == "letter"
    assert blocks["received_on"]["element"]["initial_date"] == "2026-10-01"
    assert blocks["language"]["element"]["initial_option"]["value"] == "en"
    assert blocks["details"]["element"]["initial_value"] == "Poistakaa tietoni."
    assert blocks[REQUEST_FILE_ANYWAY]["optional"] is True
    warning = view["blocks"][1]["text"]["text"]
    assert "2.11.2026" in warning and "#3, #5" in warning
    assert "2 avointa samanlaista pyyntöä" in warning


def test_the_box_ticked_files_anyway_and_the_person_chosen_is_kept() -> None:
    state = {
        REQUEST_FILE_ANYWAY: {
            REQUEST_FILE_ANYWAY: {
                "type": "checkboxes",
                "selected_options": [{"value": FILE_ANYWAY}],
            }
        },
        RequestField.PERSON_ID: {
            RequestField.PERSON_ID: {
                "selected_option": {"value": "7", "text": {"type": "plain_text", "text": "x"}}
            }
        },
    }
    assert files_anyway(state)
    assert not files_anyway({})
    assert person_choice(state) == {"value": "7", "text": {"type": "plain_text", "text": "x"}}
