"""A search for persons as typed into Slack: `/asiakas`, `/tapaaminen` and the person select
of the forms. Its length and words are capped before the database sees it."""

from typing import Self

from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.inputs.rules import rule_message
from bot.slack.inputs.text import SingleLine
from storage.search import MAX_QUERY_LENGTH, MAX_QUERY_WORDS

SEARCH_TOO_LONG = N_("Search too long: at most %(length)d characters and %(words)d words.")


class PersonSearch(BaseModel):
    query: SingleLine = Field(max_length=MAX_QUERY_LENGTH)

    @field_validator("query")
    @classmethod
    def few_words(cls, value: str) -> str:
        if len(value.split()) > MAX_QUERY_WORDS:
            raise ValueError("too many words")
        return value

    @classmethod
    def parse(cls, text: str) -> Self:
        """The text with its spaces collapsed; UserInputError when it is past the caps."""
        try:
            return cls(query=" ".join(text.split()))
        except ValidationError as error:
            if rule := rule_message(error.errors()[0]):
                raise UserInputError(rule) from None
            raise UserInputError(
                SEARCH_TOO_LONG, length=MAX_QUERY_LENGTH, words=MAX_QUERY_WORDS
            ) from None
