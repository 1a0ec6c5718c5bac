"""What a controller's alert buttons and their modals carry: the request, how the identity was
verified, the reasons for an extension or a rejection."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from bot.errors import UserInputError
from bot.i18n import N_
from bot.ids import EXTENSION_REASON, IDENTITY_VERIFICATION, IDENTITY_VERIFICATION_TEXT
from bot.inputs.private_metadata import PrivateMetadata
from bot.inputs.view_state import FieldErrors, element, selected, typed_text

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


def read_verification(values: dict[str, Any]) -> str | FieldErrors:
    """How the identity was verified, as stored: a method's name, or `other: <what was done>`."""
    choice = selected(element(values, IDENTITY_VERIFICATION))
    described = typed_text(values, IDENTITY_VERIFICATION_TEXT)
    try:
        method = VerificationMethod(choice or "")
    except ValueError:
        return FieldErrors({IDENTITY_VERIFICATION: METHOD_REQUIRED})
    if method is not VerificationMethod.OTHER:
        return method.value
    if isinstance(described, FieldErrors):
        return described
    if described is None:
        return FieldErrors({IDENTITY_VERIFICATION_TEXT: METHOD_TEXT_REQUIRED})
    if len(described) > VERIFICATION_TEXT_MAX_LENGTH:
        return FieldErrors({IDENTITY_VERIFICATION_TEXT: METHOD_TEXT_TOO_LONG})
    return OTHER_PREFIX + described


def read_reason(values: dict[str, Any], block_id: str = EXTENSION_REASON) -> str | FieldErrors:
    """The reasons typed into the block `block_id`."""
    reason = typed_text(values, block_id, multiline=True)
    if isinstance(reason, FieldErrors):
        return reason
    if reason is None:
        return FieldErrors({block_id: REASON_REQUIRED})
    if len(reason) > REASON_MAX_LENGTH:
        return FieldErrors({block_id: REASON_TOO_LONG})
    return reason
