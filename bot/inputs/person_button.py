"""A button in a list or on a card: its value is the id of the person it acts on."""

from pydantic import BaseModel, Field, ValidationError

from bot.errors import UserInputError
from bot.i18n import N_

NOT_A_PERSON = N_("That button does not name a person.")


class PersonButton(BaseModel):
    person_id: int = Field(gt=0)

    @classmethod
    def parse(cls, value: str | None) -> "PersonButton":
        try:
            return cls.model_validate({"person_id": value})
        except ValidationError:
            raise UserInputError(NOT_A_PERSON) from None
