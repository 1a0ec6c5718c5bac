"""`/asiakas` (`/customer`): help, a new person, or a search.

A button in a list or on a card: its value is the id of the person it acts on.

The consent modal: which person and card it belongs to, and what was submitted.

The disclosure modal: who received which categories of the person's data."""

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.ids import ConsentField, DisclosureField, PersonField
from bot.slack.inputs.dates import ConsentDate
from bot.slack.inputs.person_search import PersonSearch
from bot.slack.inputs.rules import rule_message
from bot.slack.inputs.text import SingleLine
from bot.slack.inputs.view_state import InvalidForm, element, selected, typed_text
from storage.disclosures import CONSENT_FOR
from storage.enums import ConsentPurpose, RecipientKind
from storage.search import MAX_QUERY_LENGTH, TOTAL_CAP


class CustomerAction(StrEnum):
    HELP = "help"
    NEW = "new"
    SEARCH = "search"


NEW_WORDS = frozenset({"uusi", "new"})
HELP_WORDS = frozenset({"", "ohje", "help"})


def customer_action(text: str) -> CustomerAction:
    word = text.strip().lower()
    if word in HELP_WORDS:
        return CustomerAction.HELP
    if word in NEW_WORDS:
        return CustomerAction.NEW
    return CustomerAction.SEARCH


class CustomerSearch(PersonSearch):
    """`/asiakas TEXT`: the search typed after the command."""


NOT_A_PERSON = N_("That button does not name a person.")


class PersonButton(BaseModel):
    person_id: int = Field(gt=0)

    @classmethod
    def parse(cls, value: str | None) -> "PersonButton":
        try:
            return cls.model_validate({"person_id": value})
        except ValidationError:
            raise UserInputError(NOT_A_PERSON) from None


NOT_A_LIST = N_("That button does not name a list on a card.")


class CardListButton(BaseModel):
    """`list:person id:page`: which list of whose card, and which page of it."""

    name: SingleLine = Field(pattern=r"^[a-z_]{1,40}$")
    person_id: int = Field(gt=0)
    page: int = Field(ge=0, le=100_000)

    @classmethod
    def parse(cls, value: str | None) -> "CardListButton":
        try:
            name, person_id, page = str(value).split(":")
            return cls.model_validate({"name": name, "person_id": person_id, "page": page})
        except (ValueError, ValidationError):
            raise UserInputError(NOT_A_LIST) from None


NOT_A_PAGE = N_("That button does not name a page of the search.")


class HitListPage(BaseModel):
    """A further page of an `/asiakas` search: the search as the command gave it, and which
    page (from 0). The search is capped as the command's is."""

    query: SingleLine = Field(max_length=MAX_QUERY_LENGTH)
    page: int = Field(ge=0, le=TOTAL_CAP)

    def dump(self) -> str:
        return self.model_dump_json()

    @classmethod
    def parse(cls, value: str | None) -> "HitListPage":
        try:
            return cls.model_validate_json(value or "")
        except ValidationError:
            raise UserInputError(NOT_A_PAGE) from None


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


def read_consent(values: dict[str, Any], *, today: date) -> ConsentChoice:
    purpose = selected(element(values, ConsentField.PURPOSE))
    status = selected(element(values, ConsentField.STATUS))
    day = element(values, ConsentField.DATE).get("selected_date")
    errors: dict[str, str] = {}
    if purpose not in {p.value for p in ConsentPurpose}:
        errors[ConsentField.PURPOSE] = PURPOSE_REQUIRED
    if status not in (GIVEN, WITHDRAWN):
        errors[ConsentField.STATUS] = STATUS_REQUIRED
    if not isinstance(day, str):
        errors[ConsentField.DATE] = DATE_REQUIRED
    if errors:
        raise InvalidForm(errors)
    try:
        return ConsentChoice.model_validate(
            {"purpose": purpose, "given": status == GIVEN, "on": day}, context={"today": today}
        )
    except ValidationError as error:
        raise InvalidForm(
            {ConsentField.DATE: rule_message(error.errors()[0]) or DATE_REQUIRED}
        ) from None


RECIPIENT_MAX_LENGTH = 200
DISCLOSED_CATEGORIES = (
    PersonField.FIRST_NAME,
    PersonField.LAST_NAME,
    PersonField.EMAIL,
    PersonField.PHONE_NUMBERS,
    PersonField.STREET_ADDRESS,
    PersonField.BIRTH_DATE,
    PersonField.EDUCATION,
    PersonField.EMPLOYMENT_STATUS,
    PersonField.LABOUR_MARKET_POSITION,
)

RECIPIENT_REQUIRED = N_("Name the recipient (at most 200 characters).")
KIND_REQUIRED = N_("Choose an authority, an expert or a financier.")
CATEGORIES_REQUIRED = N_("Choose at least one category of data.")


class DisclosureChoice(BaseModel):
    recipient: SingleLine
    recipient_kind: RecipientKind
    categories: list[SingleLine]


def read_disclosure(values: dict[str, Any]) -> DisclosureChoice:
    kind = selected(element(values, DisclosureField.RECIPIENT_KIND))
    chosen = element(values, DisclosureField.CATEGORIES).get("selected_options") or []
    categories = [o.get("value") for o in chosen if o.get("value") in DISCLOSED_CATEGORIES]
    errors: dict[str, str] = {}
    try:
        recipient = typed_text(values, DisclosureField.RECIPIENT)
    except InvalidForm as invalid:
        errors.update(invalid.messages)
    else:
        if recipient is None or len(recipient) > RECIPIENT_MAX_LENGTH:
            errors[DisclosureField.RECIPIENT] = RECIPIENT_REQUIRED
    if kind not in {k.value for k in CONSENT_FOR}:
        errors[DisclosureField.RECIPIENT_KIND] = KIND_REQUIRED
    if not categories:
        errors[DisclosureField.CATEGORIES] = CATEGORIES_REQUIRED
    if errors:
        raise InvalidForm(errors)
    return DisclosureChoice(
        recipient=recipient or "", recipient_kind=RecipientKind(str(kind)), categories=categories
    )
