"""A line of an import checked by the forms' own models: the person form's and the meeting
form's rules and messages, with dates and choices written as a spreadsheet writes them."""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.customers.form_inputs import BAD_EMAIL, BAD_PHONE, BAD_POSTAL_CODE
from bot.imports.cells import UNREADABLE_DATE, UNREADABLE_TIME
from bot.imports.inputs import (
    COUNTRY,
    EXTRA_CELLS,
    MEETING_COLUMNS,
    MEETING_REQUIRED_FIELDS,
    NOT_AN_ADVISOR,
    ONE_OF,
    PERSON_COLUMNS,
    PERSON_REQUIRED_FIELDS,
    ColumnsRefused,
    Problem,
    columns_of,
    read_meeting,
    read_person,
)
from bot.imports.table import Cell, Table
from bot.meetings.inputs import WHEN_IN_FUTURE
from bot.slack.inputs.dates import BIRTH_DATE, NO_SUCH_DATE, RELATIONSHIP_START
from storage.enums import (
    DataSource,
    Education,
    Gender,
    LegalBasis,
    MeetingKind,
    RelationshipKind,
)
from storage.imports import PersonRow
from storage.meeting_imports import MeetingRow

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
HELSINKI = ZoneInfo("Europe/Helsinki")
BASE = {
    "first_name": "Testi",
    "last_name": "Virtanen",
    "relationship_kind": "customer",
    "legal_basis": "contract",
}


def person(**cells: Cell) -> PersonRow | list[Problem]:
    values = {**BASE, **cells}
    table = Table(columns=list(values), rows=[(2, list(values.values()))])
    columns = columns_of(table, PERSON_COLUMNS, PERSON_REQUIRED_FIELDS)
    return read_person(2, table.rows[0][1], columns, today=TODAY)


def problems(read: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    assert isinstance(read, list), read
    return {problem.column: (problem.message, problem.params) for problem in read}


def test_a_person_line_reads_as_the_form_reads_it() -> None:
    read = person(
        email=" Testi.Virtanen@Example.FI ",
        phone="040 123 4567; +46 70 123 4567",
        birth_date="1.7.1979",
        relationship_started_on="2015-04-03",
        postal_code=100,
        nationality="Suomi",
        gender="Nainen",
        education="master",
        source="",
    )
    assert isinstance(read, PersonRow)
    fields = read.fields
    assert fields.email == "testi.virtanen@example.fi"
    assert fields.phone_numbers == ["+358401234567", "+46701234567"]
    assert (fields.birth_date, read.started_on) == (date(1979, 7, 1), date(2015, 4, 3))
    assert (fields.postal_code, fields.nationality) == ("00100", "FI")
    assert (fields.gender, fields.education) == (Gender.FEMALE, Education.MASTER)
    assert fields.source is DataSource.EARLIER_REGISTER
    assert (read.relationship_kind, read.legal_basis) == (
        RelationshipKind.CUSTOMER,
        LegalBasis.CONTRACT,
    )


def test_choices_are_read_by_value_or_label_in_either_language() -> None:
    for relationship, basis in (
        ("Jäsen", "Lakisääteinen velvoite"),
        ("MEMBER", "legal_obligation"),
    ):
        read = person(relationship_kind=relationship, legal_basis=basis)
        assert isinstance(read, PersonRow)
        assert (read.relationship_kind, read.legal_basis) == (
            RelationshipKind.MEMBER,
            LegalBasis.LEGAL_OBLIGATION,
        )
    given = person(source="A public register")
    assert isinstance(given, PersonRow) and given.fields.source is DataSource.PUBLIC_REGISTER


def test_every_problem_of_a_line_is_named_by_column_without_echoing_the_value() -> None:
    read = person(
        email="testi.virtanen(at)example.fi",
        phone="12",
        birth_date="31.2.1979",
        relationship_started_on="3/4/2015",
        postal_code="001",
        nationality="Atlantis",
        gender="nainen?",
        first_name="",
    )
    assert problems(read) == {
        "email": (BAD_EMAIL, {}),
        "phone": (BAD_PHONE, {}),
        "birth_date": (NO_SUCH_DATE, {}),
        "relationship_started_on": (UNREADABLE_DATE, {}),
        "postal_code": (BAD_POSTAL_CODE, {}),
        "nationality": (COUNTRY, {}),
        "gender": (ONE_OF, {"values": "female, male, other, undisclosed"}),
        "first_name": ("Enter the name.", {}),
    }


def test_dates_are_bounded_as_the_form_bounds_them() -> None:
    assert problems(person(birth_date="1.1.1900")) == {"birth_date": (BIRTH_DATE.too_early, {})}
    assert not isinstance(person(birth_date="1.12.1906"), list)
    assert problems(person(relationship_started_on="1.1.2027")) == {
        "relationship_started_on": (RELATIONSHIP_START.too_late, {})
    }


def test_a_line_longer_than_the_first_row_is_refused() -> None:
    table = Table(columns=list(BASE), rows=[(2, [*BASE.values(), "ylimääräinen"])])
    columns = columns_of(table, PERSON_COLUMNS, PERSON_REQUIRED_FIELDS)
    assert problems(read_person(2, table.rows[0][1], columns, today=TODAY)) == {
        "": (EXTRA_CELLS, {})
    }


def test_columns_are_never_guessed_at() -> None:
    table = Table(
        columns=["First_Name", "sukunimi", "email", "EMAIL", "", ""],
        rows=[(2, ["Testi", "Virtanen", "", "", "", "jotain"])],
    )
    with pytest.raises(ColumnsRefused) as refused:
        columns_of(table, PERSON_COLUMNS, PERSON_REQUIRED_FIELDS)
    assert refused.value.unknown == ["sukunimi", "#6"]  # the empty #5 is left alone
    assert refused.value.missing == ["last_name", "relationship_kind", "legal_basis"]
    assert refused.value.twice == ["EMAIL"]


def meeting(**cells: Cell) -> MeetingRow | list[Problem]:
    values: dict[str, Cell] = {
        "person": "R-7K3Q9",
        "occurred_at": "6.5.2019 klo 14.30",
        "kind": "Tapaaminen",
        **cells,
    }
    table = Table(columns=list(values), rows=[(2, list(values.values()))])
    columns = columns_of(table, MEETING_COLUMNS, MEETING_REQUIRED_FIELDS)
    return read_meeting(2, table.rows[0][1], columns, now=NOW, today=TODAY, zone=HELSINKI)


def test_a_meeting_line_reads_in_the_agency_s_time_with_its_history() -> None:
    read = meeting(duration=45.0, follow_up_on="1.6.2019", advisor="U012AB3CD", notes="a\r\nb")
    assert isinstance(read, MeetingRow)
    assert read.occurred_at == datetime(2019, 5, 6, 11, 30, tzinfo=UTC)  # 14.30 in summer time
    assert (read.duration_minutes, read.kind) == (45, MeetingKind.MEETING)
    assert read.follow_up_on == date(2019, 6, 1)  # long past: the earlier register's
    assert (read.person, read.advisor, read.notes) == ("R-7K3Q9", "U012AB3CD", "a\nb")
    iso = meeting(occurred_at="2019-05-06T14:30", kind="phone")
    assert isinstance(iso, MeetingRow) and iso.occurred_at == read.occurred_at
    cell = meeting(occurred_at=datetime(2019, 5, 6, 14, 30))
    assert isinstance(cell, MeetingRow) and cell.occurred_at == read.occurred_at


def test_a_meeting_line_s_problems_are_named_by_column() -> None:
    assert problems(
        meeting(
            person="",
            occurred_at="6.5.2019 kello kaksi",
            kind="lounas",
            duration="tunti",
            advisor="Maija",
        )
    ) == {
        "person": ("Give the person's public reference (R-…) or e-mail.", {}),
        "occurred_at": (UNREADABLE_TIME, {}),
        "kind": (ONE_OF, {"values": "meeting, phone, video, email, event"}),
        "duration": ("Give the duration in whole minutes, from 1 to 720.", {}),
        "advisor": (NOT_AN_ADVISOR, {}),
    }
    assert problems(meeting(occurred_at="1.1.2027 10.00")) == {"occurred_at": (WHEN_IN_FUTURE, {})}


def test_a_file_without_its_header_row_has_no_one_s_data_named() -> None:
    table = Table(
        columns=["Testi", "Virtanen", "testi.virtanen@example.fi", "1.7.1979", "customer"],
        rows=[(2, ["Maija", "Mallikas", "", "", "customer"])],
    )
    with pytest.raises(ColumnsRefused) as refused:
        columns_of(table, PERSON_COLUMNS, PERSON_REQUIRED_FIELDS)
    assert refused.value.unknown == ["#1", "#2", "#3", "#4", "customer"]
