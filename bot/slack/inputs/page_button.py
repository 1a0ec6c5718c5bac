"""A button that turns a list to another page: its value is the page, from 0."""

from pydantic import BaseModel, Field, ValidationError

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_

NOT_A_PAGE = N_("That button does not name a page of the list.")


class PageButton(BaseModel):
    page: int = Field(ge=0, le=100_000)

    @classmethod
    def parse(cls, value: str | None) -> "PageButton":
        try:
            return cls.model_validate({"page": value})
        except ValidationError:
            raise UserInputError(NOT_A_PAGE) from None
