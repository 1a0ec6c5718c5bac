"""The data-subject request modal: what it carries, and what its submission says."""

import secrets
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from bot.i18n import N_
from bot.inputs.dates import RECEIVED_ON, ReceivedOn
from bot.inputs.private_metadata import PrivateMetadata
from bot.inputs.rules import rule_message
from bot.inputs.text import MultiLine, SingleLine
from bot.inputs.view_state import FieldErrors, element, selected, text
from storage.models.enums import RequestChannel, RequestKind
from storage.requests import RequestFiling

NAME_MAX_LENGTH = 200
CONTACT_MAX_LENGTH = 254
DETAILS_MAX_LENGTH = 3000


KIND_REQUIRED = N_("Choose what the requester asks for.")
PERSON_OR_NAME_REQUIRED = N_(
    "Choose the person, or give the requester's name below if they are not in the register."
)
NAME_TOO_LONG = N_("The name can be at most 200 characters.")
CONTACT_TOO_LONG = N_("The contact details can be at most 254 characters.")
CHANNEL_REQUIRED = N_("Choose how the request arrived.")
RECEIVED_REQUIRED = N_("Give the date the request was received.")
RECEIVED_IN_FUTURE = RECEIVED_ON.too_late
LANGUAGE_REQUIRED = N_("Choose the language the requester used.")
DETAILS_TOO_LONG = N_("The details can be at most 3000 characters.")

INVALID_VALUE = {
    "kind": KIND_REQUIRED,
    "person_id": PERSON_OR_NAME_REQUIRED,
    "requester_name": NAME_TOO_LONG,
    "requester_contact": CONTACT_TOO_LONG,
    "channel": CHANNEL_REQUIRED,
    "received_on": RECEIVED_REQUIRED,
    "language": LANGUAGE_REQUIRED,
    "details": DETAILS_TOO_LONG,
}


class RequestFormMetadata(PrivateMetadata):
    """The modal's private_metadata: the key that files it once, and where to confirm it."""

    filing_key: str = Field(min_length=16, max_length=100)
    response_url: str | None = None

    @classmethod
    def new(cls, *, response_url: str | None) -> "RequestFormMetadata":
        return cls(filing_key=secrets.token_urlsafe(24), response_url=response_url)


class RequestFormValues(BaseModel):
    """The submitted values by block_id, before the rules that need the clock."""

    kind: RequestKind | None = None
    person_id: int | None = Field(default=None, gt=0)
    requester_name: SingleLine | None = Field(default=None, max_length=NAME_MAX_LENGTH)
    requester_contact: SingleLine | None = Field(default=None, max_length=CONTACT_MAX_LENGTH)
    channel: RequestChannel | None = None
    received_on: ReceivedOn | None = None
    language: Literal["fi", "en"] | None = None
    details: MultiLine | None = Field(default=None, max_length=DETAILS_MAX_LENGTH)


def _raw_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": selected(element(values, "kind")),
        "person_id": selected(element(values, "person_id")),
        "requester_name": text(element(values, "requester_name")),
        "requester_contact": text(element(values, "requester_contact")),
        "channel": selected(element(values, "channel")),
        "received_on": element(values, "received_on").get("selected_date"),
        "language": selected(element(values, "language")),
        "details": text(element(values, "details")),
    }


def read_request_form(values: dict[str, Any], *, today: date) -> RequestFiling | FieldErrors:
    """The submission's `view.state.values` as a request to file, or what is wrong, by block_id.

    `today` is the agency's date: a request cannot have been received after it.
    """
    raw = _raw_values(values)
    errors: dict[str, str] = {}
    try:
        form = RequestFormValues.model_validate(raw, context={"today": today})
    except ValidationError as error:
        details = {str(detail["loc"][0]): detail for detail in error.errors()}
        invalid = set(details)
        errors = {
            name: rule_message(detail) or INVALID_VALUE[name] for name, detail in details.items()
        }
        form = RequestFormValues.model_validate(
            {name: None if name in invalid else value for name, value in raw.items()},
            context={"today": today},
        )
    if form.kind is None:
        errors.setdefault("kind", KIND_REQUIRED)
    if form.person_id is None and form.requester_name is None:
        errors.setdefault("person_id", PERSON_OR_NAME_REQUIRED)
    if form.channel is None:
        errors.setdefault("channel", CHANNEL_REQUIRED)
    if form.received_on is None:
        errors.setdefault("received_on", RECEIVED_REQUIRED)
    if form.language is None:
        errors.setdefault("language", LANGUAGE_REQUIRED)
    if (
        errors
        or form.kind is None
        or form.channel is None
        or form.received_on is None
        or form.language is None
    ):
        return FieldErrors(errors)
    return RequestFiling(
        kind=form.kind,
        channel=form.channel,
        received_on=form.received_on,
        person_id=form.person_id,
        requester_name=form.requester_name,
        requester_contact=form.requester_contact,
        details=form.details,
        language=form.language,
    )
