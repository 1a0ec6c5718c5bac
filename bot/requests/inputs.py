"""The data-subject request modal: what it carries, and what its submission says.

What a controller's alert buttons and their modals carry: the request, how the identity was
verified, the reasons for an extension or a rejection.

What fulfilling a request needs from the controller: the reason for a restriction."""

import secrets
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.ids import (
    ANSWER_DELIVERY,
    ANSWERED_ON,
    EXTENSION_REASON,
    IDENTITY_VERIFICATION,
    IDENTITY_VERIFICATION_TEXT,
    OBJECTION_DECISION,
    OBJECTION_REASONS,
    OBJECTION_SCOPE,
    REQUEST_FILE_ANYWAY,
    RESTRICTION_REASON,
    RequestField,
)
from bot.slack.inputs.dates import RECEIVED_ON, ReceivedOn
from bot.slack.inputs.private_metadata import PrivateMetadata
from bot.slack.inputs.rules import validate_each_field
from bot.slack.inputs.text import MultiLine, SingleLine
from bot.slack.inputs.view_state import InvalidForm, element, selected, text, typed_text
from storage.enums import AnswerDelivery, ObjectionScope, RequestChannel, RequestKind
from storage.requests import RequestFiling

NAME_MAX_LENGTH = 200
CONTACT_MAX_LENGTH = 254
DETAILS_MAX_LENGTH = 3000
# The value of the box ticked to file a request despite what the form pointed out.
FILE_ANYWAY = "yes"


KIND_REQUIRED = N_("Choose the kind of request.")
PERSON_OR_NAME_REQUIRED = N_(
    "Choose the person, or give the requester's name below if they are not in the register."
)
NAME_OR_PERSON_REQUIRED = N_(
    "Give the requester's name here, or choose the person above if they are in the register."
)
NAME_TOO_LONG = N_("The name can be at most 200 characters.")
CONTACT_TOO_LONG = N_("The contact details can be at most 254 characters.")
CHANNEL_REQUIRED = N_("Choose how the request arrived.")
RECEIVED_REQUIRED = N_("Give the date the request was received.")
RECEIVED_IN_FUTURE = RECEIVED_ON.too_late
LANGUAGE_REQUIRED = N_("Choose the language the requester used.")
DETAILS_TOO_LONG = N_("The details can be at most 3000 characters.")

INVALID_VALUE: dict[str, str] = {
    RequestField.KIND: KIND_REQUIRED,
    RequestField.PERSON_ID: PERSON_OR_NAME_REQUIRED,
    RequestField.REQUESTER_NAME: NAME_TOO_LONG,
    RequestField.REQUESTER_CONTACT: CONTACT_TOO_LONG,
    RequestField.CHANNEL: CHANNEL_REQUIRED,
    RequestField.RECEIVED_ON: RECEIVED_REQUIRED,
    RequestField.LANGUAGE: LANGUAGE_REQUIRED,
    RequestField.DETAILS: DETAILS_TOO_LONG,
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
        RequestField.KIND: selected(element(values, RequestField.KIND)),
        RequestField.PERSON_ID: selected(element(values, RequestField.PERSON_ID)),
        RequestField.REQUESTER_NAME: text(element(values, RequestField.REQUESTER_NAME)),
        RequestField.REQUESTER_CONTACT: text(element(values, RequestField.REQUESTER_CONTACT)),
        RequestField.CHANNEL: selected(element(values, RequestField.CHANNEL)),
        RequestField.RECEIVED_ON: element(values, RequestField.RECEIVED_ON).get("selected_date"),
        RequestField.LANGUAGE: selected(element(values, RequestField.LANGUAGE)),
        RequestField.DETAILS: text(element(values, RequestField.DETAILS)),
    }


def files_anyway(values: dict[str, Any]) -> bool:
    """Whether the advisor ticked the box that files the request despite the warnings."""
    chosen = element(values, REQUEST_FILE_ANYWAY).get("selected_options") or []
    return any(option.get("value") == FILE_ANYWAY for option in chosen)


def person_choice(values: dict[str, Any]) -> dict[str, Any] | None:
    """The person option as the form sent it, to show it again as chosen."""
    option = element(values, RequestField.PERSON_ID).get("selected_option")
    return option if isinstance(option, dict) else None


def read_request_form(values: dict[str, Any], *, today: date) -> RequestFiling:
    """The submission's `view.state.values` as a request to file, or what is wrong, by block_id.

    `today` is the agency's date: a request cannot have been received after it.
    """
    raw = _raw_values(values)
    form, errors = validate_each_field(RequestFormValues, raw, fallbacks=INVALID_VALUE, today=today)
    if form.kind is None:
        errors.setdefault(RequestField.KIND, KIND_REQUIRED)
    if form.person_id is None and form.requester_name is None:
        errors.setdefault(RequestField.PERSON_ID, PERSON_OR_NAME_REQUIRED)
        errors.setdefault(RequestField.REQUESTER_NAME, NAME_OR_PERSON_REQUIRED)
    if form.channel is None:
        errors.setdefault(RequestField.CHANNEL, CHANNEL_REQUIRED)
    if form.received_on is None:
        errors.setdefault(RequestField.RECEIVED_ON, RECEIVED_REQUIRED)
    if form.language is None:
        errors.setdefault(RequestField.LANGUAGE, LANGUAGE_REQUIRED)
    if (
        errors
        or form.kind is None
        or form.channel is None
        or form.received_on is None
        or form.language is None
    ):
        raise InvalidForm(errors)
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


REASON_MAX_LENGTH = 1000
VERIFICATION_TEXT_MAX_LENGTH = 150

NOT_A_REQUEST = N_("That button does not name a request.")
METHOD_REQUIRED = N_("Choose how the requester's identity was verified.")
METHOD_TEXT_REQUIRED = N_("Say in a few words how the identity was verified.")
METHOD_TEXT_TOO_LONG = N_("Say it in at most 150 characters.")
REASON_REQUIRED = N_("Give the reasons.")
REASON_TOO_LONG = N_("The reasons can be at most 1000 characters.")


class VerificationMethod(StrEnum):
    KNOWN_EMAIL = "known_email"
    IN_PERSON_ID = "in_person_id"
    STRONG_IDENTIFICATION = "strong_identification"
    OTHER = "other"


OTHER_PREFIX = f"{VerificationMethod.OTHER}: "


class RequestButton(BaseModel):
    """A button on a request alert: its value is the request's id."""

    request_id: int = Field(gt=0)

    @classmethod
    def parse(cls, value: str | None) -> "RequestButton":
        try:
            return cls.model_validate({"request_id": value})
        except ValidationError:
            raise UserInputError(NOT_A_REQUEST) from None


class RequestModalMetadata(PrivateMetadata):
    """The private_metadata of a modal opened from an alert button."""

    request_id: int = Field(gt=0)


def read_verification(values: dict[str, Any]) -> str:
    """How the identity was verified, as stored: a method's name, or `other: <what was done>`."""
    choice = selected(element(values, IDENTITY_VERIFICATION))
    try:
        method = VerificationMethod(choice or "")
    except ValueError:
        raise InvalidForm({IDENTITY_VERIFICATION: METHOD_REQUIRED}) from None
    if method is not VerificationMethod.OTHER:
        return method.value
    described = typed_text(values, IDENTITY_VERIFICATION_TEXT)
    if described is None:
        raise InvalidForm({IDENTITY_VERIFICATION_TEXT: METHOD_TEXT_REQUIRED})
    if len(described) > VERIFICATION_TEXT_MAX_LENGTH:
        raise InvalidForm({IDENTITY_VERIFICATION_TEXT: METHOD_TEXT_TOO_LONG})
    return OTHER_PREFIX + described


def read_reason(values: dict[str, Any], block_id: str = EXTENSION_REASON) -> str:
    """The reasons typed into the block `block_id`."""
    reason = typed_text(values, block_id, multiline=True)
    if reason is None:
        raise InvalidForm({block_id: REASON_REQUIRED})
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidForm({block_id: REASON_TOO_LONG})
    return reason


RESTRICTION_REASON_REQUIRED = N_("Give the reason for the restriction.")
RESTRICTION_REASON_TOO_LONG = N_("The reason can be at most 1000 characters.")


def read_restriction_reason(values: dict[str, Any]) -> str:
    reason = typed_text(values, RESTRICTION_REASON, multiline=True)
    if reason is None:
        raise InvalidForm({RESTRICTION_REASON: RESTRICTION_REASON_REQUIRED})
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidForm({RESTRICTION_REASON: RESTRICTION_REASON_TOO_LONG})
    return reason


ANSWER_DELIVERY_REQUIRED = N_("Choose how the answer reached the requester.")
ANSWERED_ON_REQUIRED = N_("Give the day the answer reached the requester.")
ANSWERED_ON_OUT_OF_RANGE = N_("The day must be between the day the request was received and today.")


def read_answer(
    values: dict[str, Any], *, received_on: date, today: date
) -> tuple[AnswerDelivery, date]:
    """How and on which day the answer reached the data subject."""
    errors: dict[str, str] = {}
    try:
        delivery = AnswerDelivery(selected(element(values, ANSWER_DELIVERY)) or "")
    except ValueError:
        errors[ANSWER_DELIVERY] = ANSWER_DELIVERY_REQUIRED
    answered = element(values, ANSWERED_ON).get("selected_date")
    try:
        answered_on = date.fromisoformat(answered) if isinstance(answered, str) else None
    except ValueError:
        answered_on = None
    if answered_on is None:
        errors[ANSWERED_ON] = ANSWERED_ON_REQUIRED
    elif not received_on <= answered_on <= today:
        errors[ANSWERED_ON] = ANSWERED_ON_OUT_OF_RANGE
    if errors or answered_on is None:
        raise InvalidForm(errors)
    return delivery, answered_on


class ObjectionDecision(StrEnum):
    UPHOLD = "uphold"
    REFUSE = "refuse"


SCOPE_REQUIRED = N_("Choose what the person objects to.")
DECISION_REQUIRED = N_("Decide whether the objection is upheld.")


@dataclass(frozen=True)
class ObjectionForm:
    scope: ObjectionScope
    decision: ObjectionDecision | None  # for direct marketing, none: it takes effect at once
    reasons: str | None


def read_objection(values: dict[str, Any]) -> ObjectionForm:
    """An objection to direct marketing needs nothing more; any other needs the decision and
    its reasons, which are kept."""
    try:
        scope = ObjectionScope(selected(element(values, OBJECTION_SCOPE)) or "")
    except ValueError:
        raise InvalidForm({OBJECTION_SCOPE: SCOPE_REQUIRED}) from None
    reasons = typed_text(values, OBJECTION_REASONS, multiline=True)
    if reasons is not None and len(reasons) > REASON_MAX_LENGTH:
        raise InvalidForm({OBJECTION_REASONS: REASON_TOO_LONG})
    if scope is ObjectionScope.DIRECT_MARKETING:
        return ObjectionForm(scope, None, reasons)
    try:
        decision = ObjectionDecision(selected(element(values, OBJECTION_DECISION)) or "")
    except ValueError:
        raise InvalidForm({OBJECTION_DECISION: DECISION_REQUIRED}) from None
    if reasons is None:
        raise InvalidForm({OBJECTION_REASONS: REASON_REQUIRED})
    return ObjectionForm(scope, decision, reasons)
