"""The person form as Slack submits it: view state read by block id, checked field by field."""

import hashlib
import re
from datetime import date
from typing import Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from bot.customers.countries import CODES
from bot.slack.error_messages import UserInputError
from bot.slack.i18n import N_
from bot.slack.ids import PERSON_SAVE_ANYWAY, PersonField
from bot.slack.inputs.dates import BIRTH_DATE, BirthDate, ConsentDate
from bot.slack.inputs.rules import INPUT_RULE
from bot.slack.inputs.text import MultiLine, SingleLine, control_problem
from bot.slack.inputs.view_state import InvalidForm
from storage.consents import GivenConsent
from storage.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    RelationshipKind,
)
from storage.errors import NotFound
from storage.persons import PersonFields
from storage.phones import DISPLAY_MAX_LENGTH, MAX_PHONE_NUMBERS, to_e164

MAX_LENGTHS: dict[str, int] = {
    PersonField.FIRST_NAME: 100,
    PersonField.LAST_NAME: 100,
    PersonField.EMAIL: 254,
    PersonField.STREET_ADDRESS: 200,
    PersonField.POST_OFFICE: 100,
    PersonField.MUNICIPALITY: 100,
    PersonField.HEARD_FROM_TEXT: 500,
}
# Every number the register may hold for a person, as the edit form shows them: ", " between.
PHONE_NUMBERS_MAX_LENGTH = MAX_PHONE_NUMBERS * (DISPLAY_MAX_LENGTH + 2)
PHONE_SEPARATORS = re.compile(r"[,;\n]+")
POSTAL_CODE = re.compile(r"^\d{5}$")
SAVE_ANYWAY = "yes"
NOT_A_FORM = N_("This form could not be read; open it again.")

REQUIRED = N_("This is required.")
CHOOSE = N_("Choose one of the options.")
CHECK = N_("Check this value.")
TOO_LONG = N_("At most %(count)d characters.")
NAME_REQUIRED = N_("Enter the name.")
BAD_EMAIL = N_("Enter a real e-mail address, e.g. maija.mallikas@example.fi.")
BAD_PHONE = N_(
    "Enter real phone numbers, e.g. 040 123 4567 or +46 70 123 4567, separated by commas."
)
BAD_POSTAL_CODE = N_("A postal code has five digits, e.g. 00100.")
NO_SUCH_DATE = N_("That date does not exist.")
FUTURE_BIRTH_DATE = BIRTH_DATE.too_late
NO_SUCH_COUNTRY = N_("Choose a country from the list.")
TOO_MANY_PHONES = N_("At most %(count)d phone numbers.")
CONSENT_NEEDED = N_(
    "The legal basis is consent: choose what the person consented to, and give the date below."
)
CONSENT_PURPOSE_NEEDED = N_("Choose what the person consented to.")
CONSENT_DATE_NEEDED = N_("Give the date the consent was given.")

GENERIC_MESSAGES = {"missing": REQUIRED, "enum": CHOOSE}


def _invalid(message: str, **params: object) -> PydanticCustomError:
    return PydanticCustomError("person_form", message, params or None)


class PersonForm(BaseModel):
    """What an edit needs; a new person also needs a relationship (NewPersonForm)."""

    first_name: SingleLine
    last_name: SingleLine
    email: SingleLine | None = None
    phone_numbers: list[SingleLine] = []
    street_address: MultiLine | None = None
    postal_code: SingleLine | None = None
    post_office: SingleLine | None = None
    municipality: SingleLine | None = None
    nationality: SingleLine | None = None
    gender: Gender | None = None
    birth_date: BirthDate | None = None
    education: Education | None = None
    employment_status: EmploymentStatus | None = None
    labour_market_position: LabourMarketPosition | None = None
    heard_from: HeardFrom | None = None
    heard_from_text: MultiLine | None = None
    source: DataSource
    relationship_kind: RelationshipKind | None = None
    legal_basis: LegalBasis | None = None
    consent_purpose: ConsentPurpose | None = None
    consent_given_on: ConsentDate | None = None
    save_anyway: bool = False

    @field_validator("*", mode="before")
    @classmethod
    def not_too_long(cls, value: Any, info: ValidationInfo) -> Any:
        limit = MAX_LENGTHS.get(info.field_name or "")
        if limit and isinstance(value, str) and len(value) > limit:
            raise _invalid(TOO_LONG, count=limit)
        return value

    @field_validator(PersonField.FIRST_NAME, PersonField.LAST_NAME, mode="before")
    @classmethod
    def name_given(cls, value: Any) -> Any:
        if not value:
            raise _invalid(NAME_REQUIRED)
        return value

    @field_validator(PersonField.EMAIL, mode="before")
    @classmethod
    def real_email(cls, value: Any) -> Any:
        if value is None:
            return None
        try:
            return validate_email(str(value), check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            raise _invalid(BAD_EMAIL) from None

    @field_validator(PersonField.PHONE_NUMBERS, mode="before")
    @classmethod
    def real_phone_numbers(cls, value: Any) -> list[str]:
        problem = control_problem(value, multiline=True) if isinstance(value, str) else None
        if problem:
            raise _invalid(problem)
        numbers: list[str] = []
        for typed in PHONE_SEPARATORS.split(value or ""):
            if not typed.strip():
                continue
            number = to_e164(typed)
            if number is None:
                raise _invalid(BAD_PHONE)
            if number not in numbers:
                numbers.append(number)
        if len(numbers) > MAX_PHONE_NUMBERS:
            raise _invalid(TOO_MANY_PHONES, count=MAX_PHONE_NUMBERS)
        return numbers

    @field_validator(PersonField.POSTAL_CODE, mode="before")
    @classmethod
    def five_digits(cls, value: Any) -> Any:
        if value is None:
            return None
        compact = str(value).replace(" ", "")
        if not POSTAL_CODE.match(compact):
            raise _invalid(BAD_POSTAL_CODE)
        return compact

    @field_validator(PersonField.NATIONALITY, mode="before")
    @classmethod
    def a_country(cls, value: Any) -> Any:
        if value is not None and str(value).upper() not in CODES:
            raise _invalid(NO_SUCH_COUNTRY)
        return None if value is None else str(value).upper()

    def person_fields(self) -> PersonFields:
        return PersonFields(**self.model_dump(include=set(PersonFields.__dataclass_fields__)))

    def consent(self) -> GivenConsent | None:
        if self.consent_purpose is None or self.consent_given_on is None:
            return None
        return GivenConsent(self.consent_purpose, self.consent_given_on)


class NewPersonForm(PersonForm):
    relationship_kind: RelationshipKind
    legal_basis: LegalBasis


Form = TypeVar("Form", bound=PersonForm)


def form_input(view: dict[str, Any]) -> dict[str, Any]:
    """The submitted value of each input block, by block id: text, a selected value, a date, or
    a list of checked values."""
    values: dict[str, Any] = {}
    for block_id, elements in (view.get("state") or {}).get("values", {}).items():
        for element in elements.values():
            if "selected_options" in element:
                values[block_id] = [o["value"] for o in element["selected_options"] or []]
            elif "selected_option" in element:
                values[block_id] = (element["selected_option"] or {}).get("value")
            elif "selected_date" in element:
                values[block_id] = element["selected_date"]
            else:
                values[block_id] = element.get("value")
    return values


def parse_new_person(values: dict[str, Any], *, today: date | None = None) -> NewPersonForm:
    """The new-person form's values checked; InvalidForm names each wrong field and why."""
    return parse_person_form(NewPersonForm, values, today=today)


def parse_person_edit(values: dict[str, Any], *, today: date | None = None) -> PersonForm:
    """The edit form's values checked; InvalidForm names each wrong field and why."""
    return parse_person_form(PersonForm, values, today=today)


def parse_person_form(
    model: type[Form], values: dict[str, Any], *, today: date | None = None
) -> Form:
    """Values by field name, checked by `model` (the person form's, or one extending it, as the
    import's); InvalidForm names each wrong field and why."""
    raw = dict(values)
    raw["save_anyway"] = SAVE_ANYWAY in (raw.pop(PERSON_SAVE_ANYWAY, None) or [])
    raw = {
        name: (value.strip() or None) if isinstance(value, str) else value
        for name, value in raw.items()
        if name in model.model_fields
    }
    try:
        form = model.model_validate(raw, context={"today": today or date.today()})
    except ValidationError as error:
        raise InvalidForm(_field_errors(error)) from None
    if form.relationship_kind is None and form.legal_basis is not None:
        raise InvalidForm({PersonField.RELATIONSHIP_KIND: (REQUIRED, {})})
    if form.legal_basis is None and form.relationship_kind is not None:
        raise InvalidForm({PersonField.LEGAL_BASIS: (REQUIRED, {})})
    _check_consent(form, new=issubclass(model, NewPersonForm))
    return form


def _check_consent(form: PersonForm, *, new: bool) -> None:
    """A consent is given whole, its purpose and date; a new person on the legal basis of
    consent needs one (an edit may rely on one recorded before: storage decides)."""
    if form.consent_purpose is not None and form.consent_given_on is None:
        raise InvalidForm({PersonField.CONSENT_GIVEN_ON: (CONSENT_DATE_NEEDED, {})})
    if form.consent_given_on is not None and form.consent_purpose is None:
        raise InvalidForm({PersonField.CONSENT_PURPOSE: (CONSENT_PURPOSE_NEEDED, {})})
    if new and form.legal_basis == LegalBasis.CONSENT and form.consent() is None:
        raise InvalidForm({PersonField.CONSENT_PURPOSE: (CONSENT_NEEDED, {})})


def _field_errors(error: ValidationError) -> dict[str, tuple[str, dict[str, Any]]]:
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    for detail in error.errors():
        block_id = str(detail["loc"][0]) if detail["loc"] else ""
        if detail["type"] in ("person_form", INPUT_RULE):
            message, params = detail["msg"], dict(detail.get("ctx") or {})
        elif detail.get("input") is None:
            message, params = REQUIRED, {}
        else:
            message = GENERIC_MESSAGES.get(detail["type"], CHECK)
            params = {}
        errors.setdefault(block_id, (message, params))
    return errors


class FormMetadata(BaseModel):
    """The form's private_metadata: whom it edits, and a digest of each value it opened with,
    so that only what the staff member changed is written; and the rectification request the
    edit fulfils, when it does."""

    person_id: int | None = None
    opened_with: dict[str, str] = {}
    request_id: int | None = None

    @classmethod
    def parse(cls, text: str) -> "FormMetadata":
        return cls.model_validate_json(text) if text else cls()

    @classmethod
    def for_edit(
        cls, person_id: int, values: dict[str, Any], request_id: int | None = None
    ) -> "FormMetadata":
        return cls(
            person_id=person_id,
            opened_with={k: digest(v) for k, v in values.items()},
            request_id=request_id,
        )

    def edited_person_id(self) -> int:
        if self.person_id is None:
            raise NotFound("person")
        return self.person_id

    def changed(self, values: dict[str, Any]) -> set[str]:
        return {
            name for name, value in values.items() if self.opened_with.get(name) != digest(value)
        }


def digest(value: Any) -> str:
    text = "\x1f".join(value) if isinstance(value, list) else str(value or "")
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class SubmittedView(BaseModel):
    """The submitted modal's id: the same form sent twice (a double click, Slack's retry, two
    submissions at once) carries the same one."""

    model_config = ConfigDict(extra="ignore")

    id: SingleLine = Field(pattern=r"^V[A-Z0-9]{1,40}$")

    @classmethod
    def parse(cls, view: dict[str, Any]) -> "SubmittedView":
        try:
            return cls.model_validate(view)
        except ValidationError:
            raise UserInputError(NOT_A_FORM) from None

    @property
    def creation_key(self) -> str:
        return f"view:{self.id}"
