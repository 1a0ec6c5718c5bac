"""The meeting modal names its inputs by the vocabulary its reader uses."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.meetings.blocks import meeting_form_view
from bot.meetings.inputs import MeetingFormMetadata, read_meeting_form
from bot.slack.i18n import translator
from bot.slack.ids import MeetingField
from storage.enums import MeetingKind
from tests.bot.helpers.forms import input_ids

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)


def view_ids() -> list[tuple[str, str]]:
    metadata = MeetingFormMetadata.new(response_url=None, pushed=False)
    return input_ids(meeting_form_view(translator("en"), metadata=metadata, now=NOW))


def test_the_meeting_modal_has_exactly_the_meeting_fields() -> None:
    assert view_ids() == [(field.value, field.value) for field in MeetingField]


def test_the_meeting_reader_reads_what_the_meeting_modal_names() -> None:
    submitted: dict[str, Any] = {
        MeetingField.PERSON_ID: {"selected_option": {"value": "7"}},
        MeetingField.OCCURRED_AT: {
            "selected_date_time": int((NOW - timedelta(hours=1)).timestamp())
        },
        MeetingField.DURATION_MINUTES: {"value": "30"},
        MeetingField.KIND: {"selected_option": {"value": MeetingKind.VIDEO.value}},
        MeetingField.TOPIC: {"value": "Rahoitus"},
        MeetingField.NOTES: {"value": "Muistiinpanot"},
        MeetingField.FOLLOW_UP_ON: {"selected_date": "2026-12-04"},
    }
    state = {block: {action: submitted[block]} for block, action in view_ids()}

    fields = read_meeting_form(state, now=NOW, today=TODAY)

    assert (fields.person_id, fields.duration_minutes, fields.topic, fields.notes) == (
        7,
        30,
        "Rahoitus",
        "Muistiinpanot",
    )
    assert (fields.kind, fields.follow_up_on) == (MeetingKind.VIDEO, date(2026, 12, 4))
