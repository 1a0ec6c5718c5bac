"""The consent modal: which person and card it belongs to, and what was submitted."""

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from bot.errors import UserInputError
from bot.i18n import N_
from bot.inputs.dates import ConsentDate
from bot.inputs.rules import rule_message
from bot.inputs.view_state import FieldErrors, element, selected
from storage.models.enums import ConsentPurpose

GIVEN = "given"
WITHDRAWN = "withdrawn"

PURPOSE_REQUIRED = N_("Choose the purpose.")
STATUS_REQUIRED = N_("Choose given or withdrawn.")
DATE_REQUIRED = N_("Give the date.")
BROKEN_FORM = N_("This form could not be read; open the card again.")


class CardModalMetadata(BaseModel):
    """The person, and the card modal underneath to update once saved."""

    person_id: int = Field(gt=0)
    card_view_id: str | None = None

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def parse(cls, text: str) -> "CardModalMetadata":
        try:
            return cls.model_validate_json(text)
        except ValidationError:
            raise UserInputError(BROKEN_FORM) from None


class ConsentChoice(BaseModel):
    purpose: ConsentPurpose
    given: bool
    on: ConsentDate


def read_consent(values: dict[str, Any], *, today: date) -> ConsentChoice | FieldErrors:
    purpose = selected(element(values, "purpose"))
    status = selected(element(values, "status"))
    day = element(values, "date").get("selected_date")
    errors = {}
    if purpose not in {p.value for p in ConsentPurpose}:
        errors["purpose"] = PURPOSE_REQUIRED
    if status not in (GIVEN, WITHDRAWN):
        errors["status"] = STATUS_REQUIRED
    if not isinstance(day, str):
        errors["date"] = DATE_REQUIRED
    if errors:
        return FieldErrors(errors)
    try:
        return ConsentChoice.model_validate(
            {"purpose": purpose, "given": status == GIVEN, "on": day}, context={"today": today}
        )
    except ValidationError as error:
        return FieldErrors({"date": rule_message(error.errors()[0]) or DATE_REQUIRED})
