"""The lines of an import, checked by the forms' own input models: a person line by the person
form's (which adds the relationship's start), a meeting line by the meeting form's (which names
the person by public reference or e-mail, and the advisor by Slack user id).

The first row names the columns by the register's field names. A column the import does not
know stops it before anything is read, as does a required one missing: a column is never
guessed at. A line's problems are N_-marked messages by column, and never echo what it holds.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field

from bot.customers.fields import FORM_ENUMS
from bot.customers.form_inputs import (
    CHOOSE,
    NO_SUCH_COUNTRY,
    InvalidForm,
    NewPersonForm,
    parse_person_form,
)
from bot.imports import cells
from bot.imports.table import Cell, Table
from bot.meetings.inputs import (
    FUTURE_GRACE,
    INVALID_VALUE,
    KIND_REQUIRED,
    WHEN_IN_FUTURE,
    WHEN_REQUIRED,
    MeetingFormValues,
)
from bot.slack.i18n import N_
from bot.slack.ids import MeetingField, PersonField
from bot.slack.inputs.dates import RecordedFollowUp, RelationshipStart
from bot.slack.inputs.rules import validate_each_field
from bot.slack.inputs.text import SingleLine
from storage.enums import DataSource, MeetingKind
from storage.imports import PersonRow
from storage.meeting_imports import MeetingRow

RELATIONSHIP_STARTED_ON = "relationship_started_on"
PERSON = "person"
ADVISOR = "advisor"
SLACK_USER_ID = r"^[UW][A-Z0-9]{2,}$"
FIELD_LIKE = re.compile(r"^[a-z][a-z0-9_]{0,40}$")

ONE_OF = N_("Use one of: %(values)s.")
COUNTRY = N_("Give the country as its two-letter code (FI) or its name.")
PERSON_REQUIRED = N_("Give the person's public reference (R-…) or e-mail.")
NOT_AN_ADVISOR = N_("Give the advisor's Slack user id, e.g. U012AB3CD.")
EXTRA_CELLS = N_("The line has more fields than the first row names.")

# Column names as the first row may write them, and the field each one fills.
PERSON_COLUMNS: dict[str, str] = {
    **{name.value: name.value for name in PersonField},
    "phone": PersonField.PHONE_NUMBERS,
    RELATIONSHIP_STARTED_ON: RELATIONSHIP_STARTED_ON,
}
PERSON_REQUIRED_FIELDS = (
    PersonField.FIRST_NAME,
    PersonField.LAST_NAME,
    PersonField.RELATIONSHIP_KIND,
    PersonField.LEGAL_BASIS,
)
MEETING_COLUMNS: dict[str, str] = {
    PERSON: PERSON,
    MeetingField.OCCURRED_AT: MeetingField.OCCURRED_AT,
    "duration": MeetingField.DURATION_MINUTES,
    MeetingField.DURATION_MINUTES: MeetingField.DURATION_MINUTES,
    MeetingField.KIND: MeetingField.KIND,
    MeetingField.TOPIC: MeetingField.TOPIC,
    MeetingField.NOTES: MeetingField.NOTES,
    MeetingField.FOLLOW_UP_ON: MeetingField.FOLLOW_UP_ON,
    ADVISOR: ADVISOR,
}
MEETING_REQUIRED_FIELDS = (PERSON, MeetingField.OCCURRED_AT, MeetingField.KIND)


@dataclass(frozen=True)
class Problem:
    """What is wrong with a line: the column as the file names it ("" for the whole line), and
    an N_-marked message with its parameters."""

    line: int
    column: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


class ColumnsRefused(Exception):
    """The first row names columns the import does not know, misses required ones, or names
    one twice; nothing is read."""

    def __init__(self, unknown: list[str], missing: list[str], twice: list[str]) -> None:
        super().__init__("the file's columns do not fit the import")
        self.unknown = unknown
        self.missing = missing
        self.twice = twice


@dataclass(frozen=True)
class Columns:
    """Where each field stands in a row, and what the file calls it."""

    index: dict[str, int]
    names: dict[str, str]
    width: int

    def cells(self, row: list[Cell]) -> dict[str, Cell]:
        return {name: row[at] if at < len(row) else None for name, at in self.index.items()}

    def overflows(self, row: list[Cell]) -> bool:
        return any(cells.text(cell) for cell in row[self.width :])

    def name(self, field_name: str) -> str:
        return self.names.get(field_name, field_name)

    def problems(self, line: int, errors: dict[str, tuple[str, dict[str, Any]]]) -> list[Problem]:
        """The line's problems in the order of its columns, the line's own last."""
        order = sorted(errors, key=lambda name: self.index.get(name, self.width))
        return [Problem(line, self.name(name), *errors[name]) for name in order]


def columns_of(table: Table, known: dict[str, str], required: tuple[str, ...]) -> Columns:
    """The table's columns, or ColumnsRefused naming every one that does not fit. A column
    without a name is left alone while it is empty on every line. An unknown column is named
    as the file names it only when that looks like a field name: a file without its header
    row would otherwise have its first person's data printed."""
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    unknown: list[str] = []
    twice: list[str] = []
    for at, name in enumerate(table.columns):
        field_name = known.get(name.casefold())
        if not name:
            if any(cells.text(row[at]) for _, row in table.rows if at < len(row)):
                unknown.append(f"#{at + 1}")
        elif field_name is None:
            unknown.append(name if FIELD_LIKE.match(name) else f"#{at + 1}")
        elif field_name in index:
            twice.append(name)
        else:
            index[field_name] = at
            names[field_name] = name
    missing = [name for name in required if name not in index]
    if unknown or missing or twice:
        raise ColumnsRefused(unknown, missing, twice)
    return Columns(index=index, names=names, width=len(table.columns))


class ImportedPerson(NewPersonForm):
    """A person line: the new-person form, and when the relationship began."""

    relationship_started_on: RelationshipStart | None = None


PERSON_CHOICES = {name: cells.choice_names(list(enum)) for name, enum in FORM_ENUMS.items()}


def _person_value(name: str, cell: Cell) -> Any:
    if name in (PersonField.BIRTH_DATE, PersonField.CONSENT_GIVEN_ON, RELATIONSHIP_STARTED_ON):
        return cells.day(cell)
    if name == PersonField.POSTAL_CODE:
        return cells.postal_code(cell)
    if name == PersonField.NATIONALITY:
        return cells.choice(cell, cells.country_names())
    if name in PERSON_CHOICES:
        return cells.choice(cell, PERSON_CHOICES[name])
    return cells.text(cell)


def _for_a_file(name: str, message: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The form's message, where it speaks of a select, as a file needs it said."""
    if message == CHOOSE and name in PERSON_CHOICES:
        return ONE_OF, {"values": ", ".join(dict.fromkeys(PERSON_CHOICES[name].values()))}
    if message == NO_SUCH_COUNTRY:
        return COUNTRY, {}
    return message, params


def read_person(
    line: int, row: list[Cell], columns: Columns, *, today: date
) -> PersonRow | list[Problem]:
    """The line as a person to bring in, or every problem it has."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    values: dict[str, Any] = {}
    for name, cell in columns.cells(row).items():
        try:
            values[name] = _person_value(name, cell)
        except cells.CellError as error:
            errors[name] = (error.message, {})
    values[PersonField.SOURCE] = values.get(PersonField.SOURCE) or DataSource.EARLIER_REGISTER
    try:
        form = parse_person_form(ImportedPerson, values, today=today)
    except InvalidForm as invalid:
        for name, (message, params) in invalid.errors.items():
            errors.setdefault(name, _for_a_file(name, message, params))
    if columns.overflows(row):
        errors[""] = (EXTRA_CELLS, {})
    if errors:
        return columns.problems(line, errors)
    return PersonRow(
        line=line,
        fields=form.person_fields(),
        relationship_kind=form.relationship_kind,
        legal_basis=form.legal_basis,
        started_on=form.relationship_started_on,
        consent=form.consent(),
    )


class ImportedMeeting(MeetingFormValues):
    """A meeting line: the meeting form, with the person and the advisor named as a file can
    name them, and a follow-up that may lie in the past (the earlier register's)."""

    person: SingleLine | None = Field(default=None, max_length=254)
    advisor: SingleLine | None = Field(default=None, pattern=SLACK_USER_ID)
    follow_up_on: RecordedFollowUp | None = None


KIND_CHOICES = cells.choice_names(list(MeetingKind))
KIND_VALUES = {"values": ", ".join(kind.value for kind in MeetingKind)}
MEETING_FALLBACKS = {**INVALID_VALUE, PERSON: PERSON_REQUIRED, ADVISOR: NOT_AN_ADVISOR}


def _meeting_value(name: str, cell: Cell, zone: ZoneInfo) -> Any:
    if name == MeetingField.OCCURRED_AT:
        return cells.moment(cell, zone)
    if name == MeetingField.FOLLOW_UP_ON:
        return cells.day(cell)
    if name == MeetingField.DURATION_MINUTES:
        return cells.whole_number(cell)
    if name == MeetingField.KIND:
        return cells.choice(cell, KIND_CHOICES)
    return cells.text(cell)


def read_meeting(
    line: int, row: list[Cell], columns: Columns, *, now: datetime, today: date, zone: ZoneInfo
) -> MeetingRow | list[Problem]:
    """The line as a meeting to bring in, or every problem it has."""
    unreadable: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for name, cell in columns.cells(row).items():
        try:
            raw[name] = _meeting_value(name, cell, zone)
        except cells.CellError as error:
            unreadable[name] = error.message
            raw[name] = None
    form, invalid = validate_each_field(
        ImportedMeeting, raw, fallbacks=MEETING_FALLBACKS, today=today
    )
    errors: dict[str, tuple[str, dict[str, Any]]] = {
        name: (message, {}) for name, message in {**invalid, **unreadable}.items()
    }
    if form.person is None:
        errors.setdefault(PERSON, (PERSON_REQUIRED, {}))
    if form.occurred_at is None:
        errors.setdefault(MeetingField.OCCURRED_AT, (WHEN_REQUIRED, {}))
    elif form.occurred_at > now + FUTURE_GRACE:
        errors[MeetingField.OCCURRED_AT] = (WHEN_IN_FUTURE, {})
    if form.kind is None and errors.get(MeetingField.KIND, (KIND_REQUIRED,))[0] == KIND_REQUIRED:
        errors[MeetingField.KIND] = (ONE_OF, KIND_VALUES)
    if columns.overflows(row):
        errors[""] = (EXTRA_CELLS, {})
    if errors or form.person is None or form.occurred_at is None or form.kind is None:
        return columns.problems(line, errors)
    return MeetingRow(
        line=line,
        person=form.person,
        advisor=form.advisor,
        occurred_at=form.occurred_at.astimezone(UTC),
        duration_minutes=form.duration_minutes,
        kind=form.kind,
        topic=form.topic,
        notes=form.notes,
        follow_up_on=form.follow_up_on,
    )
