"""What a modal carries in its private_metadata, as a pydantic model that reads itself back."""

from typing import Self

from pydantic import BaseModel, ValidationError

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_

FORM_EXPIRED = N_("This form can no longer be saved. Please open it again.")


class PrivateMetadata(BaseModel):
    @classmethod
    def parse(cls, text: str) -> Self:
        try:
            return cls.model_validate_json(text or "{}")
        except ValidationError:
            raise UserInputError(FORM_EXPIRED) from None

    def dump(self) -> str:
        return self.model_dump_json(exclude_none=True)
