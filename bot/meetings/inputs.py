"""The meeting modal: what opens it, what it carries, and what its submission says."""

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from bot.slack.i18n import N_
from bot.slack.ids import MeetingField
from bot.slack.inputs.dates import FOLLOW_UP, MEETING_TIME, FollowUpDate, MeetingTime
from bot.slack.inputs.person_search import PersonSearch
from bot.slack.inputs.private_metadata import PrivateMetadata
from bot.slack.inputs.rules import validate_each_field
from bot.slack.inputs.text import MultiLine, SingleLine
from bot.slack.inputs.view_state import InvalidForm, element, selected, text
from storage.enums import MeetingKind
from storage.meetings import MeetingFields

MAX_DURATION_MINUTES = 720
TOPIC_MAX_LENGTH = 200
NOTES_MAX_LENGTH = 3000
# A clock a few minutes fast, or a meeting logged as it ends, is not a meeting in the future.
FUTURE_GRACE = timedelta(minutes=15)


PERSON_REQUIRED = N_("Choose the person you met.")
WHEN_REQUIRED = N_("Give the date and time of the meeting.")
WHEN_IN_FUTURE = MEETING_TIME.too_late
DURATION_INVALID = N_("Give the duration in whole minutes, from 1 to 720.")
KIND_REQUIRED = N_("Choose what kind of contact it was.")
TOPIC_TOO_LONG = N_("The topic can be at most 200 characters.")
NOTES_TOO_LONG = N_("The notes can be at most 3000 characters.")
FOLLOW_UP_INVALID = FOLLOW_UP.too_early

INVALID_VALUE: dict[str, str] = {
    MeetingField.PERSON_ID: PERSON_REQUIRED,
    MeetingField.OCCURRED_AT: WHEN_REQUIRED,
    MeetingField.DURATION_MINUTES: DURATION_INVALID,
    MeetingField.KIND: KIND_REQUIRED,
    MeetingField.TOPIC: TOPIC_TOO_LONG,
    MeetingField.NOTES: NOTES_TOO_LONG,
    MeetingField.FOLLOW_UP_ON: FOLLOW_UP_INVALID,
}


class MeetingCommand(PersonSearch):
    """`/tapaaminen [search]`: the optional search that preselects the person."""


class MeetingFormMetadata(PrivateMetadata):
    """The modal's private_metadata: the key that saves it once, and where to confirm it."""

    idempotency_key: str = Field(min_length=16, max_length=100)
    response_url: str | None = None
    pushed: bool = False

    @classmethod
    def new(cls, *, response_url: str | None, pushed: bool) -> "MeetingFormMetadata":
        return cls(
            idempotency_key=secrets.token_urlsafe(24), response_url=response_url, pushed=pushed
        )


class MeetingFormValues(BaseModel):
    """The submitted values by block_id, before the rules that need the clock."""

    person_id: int | None = Field(default=None, gt=0)
    occurred_at: MeetingTime | None = None
    duration_minutes: int | None = Field(default=None, ge=1, le=MAX_DURATION_MINUTES)
    kind: MeetingKind | None = None
    topic: SingleLine | None = Field(default=None, max_length=TOPIC_MAX_LENGTH)
    notes: MultiLine | None = Field(default=None, max_length=NOTES_MAX_LENGTH)
    follow_up_on: FollowUpDate | None = None


def _raw_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        MeetingField.PERSON_ID: selected(element(values, MeetingField.PERSON_ID)),
        MeetingField.OCCURRED_AT: element(values, MeetingField.OCCURRED_AT).get(
            "selected_date_time"
        ),
        MeetingField.DURATION_MINUTES: text(element(values, MeetingField.DURATION_MINUTES)),
        MeetingField.KIND: selected(element(values, MeetingField.KIND)),
        MeetingField.TOPIC: text(element(values, MeetingField.TOPIC)),
        MeetingField.NOTES: text(element(values, MeetingField.NOTES)),
        MeetingField.FOLLOW_UP_ON: element(values, MeetingField.FOLLOW_UP_ON).get("selected_date"),
    }


def read_meeting_form(values: dict[str, Any], *, now: datetime, today: date) -> MeetingFields:
    """The submission's `view.state.values` as a meeting to save, or what is wrong, by block_id.

    `today` is the agency's date: a follow-up may not be before it.
    """
    raw = _raw_values(values)
    form, errors = validate_each_field(MeetingFormValues, raw, fallbacks=INVALID_VALUE, today=today)
    if form.person_id is None:
        errors.setdefault(MeetingField.PERSON_ID, PERSON_REQUIRED)
    if form.occurred_at is None:
        errors.setdefault(MeetingField.OCCURRED_AT, WHEN_REQUIRED)
    elif form.occurred_at > now + FUTURE_GRACE:
        errors[MeetingField.OCCURRED_AT] = WHEN_IN_FUTURE
    if form.kind is None:
        errors.setdefault(MeetingField.KIND, KIND_REQUIRED)
    if errors or form.person_id is None or form.occurred_at is None or form.kind is None:
        raise InvalidForm(errors)
    return MeetingFields(
        person_id=form.person_id,
        occurred_at=form.occurred_at.astimezone(UTC),
        duration_minutes=form.duration_minutes,
        kind=form.kind,
        topic=form.topic,
        notes=form.notes,
        follow_up_on=form.follow_up_on,
    )
