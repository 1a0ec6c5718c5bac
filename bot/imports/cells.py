"""A spreadsheet's cells as the input models read them: texts stripped, dates and times written
the Finnish way (`1.7.1979`, `1.7.2024 14.30`) or ISO (`1979-07-01`, `2024-07-01T14:30`), or
taken as the date cells of a workbook, and the values of a choice by their stored value or
their label in Finnish or English.

A cell that says nothing readable as a date or time raises CellError with the message to
report; anything else is left for the input model, whose rules decide.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from bot.customers.countries import CODES
from bot.customers.countries import country_names as named_countries
from bot.imports.table import Cell
from bot.slack.i18n import LANGUAGES, N_
from bot.slack.inputs.dates import NO_SUCH_DATE
from storage import vocabulary

UNREADABLE_DATE = N_("Write the date as 1.7.1979 or 1979-07-01.")
UNREADABLE_TIME = N_("Write the date and time as 1.7.2024 14.30 or 2024-07-01T14:30.")

FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
FINNISH_MOMENT = re.compile(
    r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(?:klo\s+)?(\d{1,2})[.:](\d{2})(?:[.:](\d{2}))?)?$",
    re.IGNORECASE,
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSTAL_CODE_DIGITS = 5


class CellError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text(cell: Cell) -> str | None:
    """A text, stripped, with a spreadsheet's line breaks as line feeds; None when empty. A
    number cell reads as it shows (`12`, not `12.0`)."""
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, datetime | date | time):
        value = cell.isoformat()
    else:
        value = str(cell).replace("\r\n", "\n").replace("\r", "\n")
    return value.strip() or None


def postal_code(cell: Cell) -> str | None:
    """A workbook that took a postal code for a number dropped its leading zeros: `100` is
    `00100`. A text cell is read as it is."""
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 0 <= cell < 10**5:
        return f"{int(cell):0{POSTAL_CODE_DIGITS}d}" if float(cell).is_integer() else text(cell)
    return text(cell)


def day(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    value = text(cell)
    if value is None:
        return None
    finnish = FINNISH_DATE.match(value)
    try:
        if finnish:
            day_, month, year = (int(part) for part in finnish.groups())
            return date(year, month, day_)
        if ISO_DATE.match(value):
            return date.fromisoformat(value)
    except ValueError:
        raise CellError(NO_SUCH_DATE) from None
    raise CellError(UNREADABLE_DATE)


def moment(cell: Cell, zone: ZoneInfo) -> datetime | None:
    """A time; one without a zone is the agency's (`zone`), a date alone its midnight."""
    if isinstance(cell, datetime):
        return cell if cell.tzinfo else cell.replace(tzinfo=zone)
    if isinstance(cell, date):
        return datetime.combine(cell, time(), zone)
    value = text(cell)
    if value is None:
        return None
    try:
        finnish = FINNISH_MOMENT.match(value)
        if finnish:
            day_, month, year, hour, minute, second = (int(p or 0) for p in finnish.groups())
            return datetime(year, month, day_, hour, minute, second, tzinfo=zone)
        if ISO_DATE.match(value[:10]):
            read = datetime.fromisoformat(value)
            return read if read.tzinfo else read.replace(tzinfo=zone)
    except ValueError:
        raise CellError(UNREADABLE_TIME) from None
    raise CellError(UNREADABLE_TIME)


def whole_number(cell: Cell) -> int | str | None:
    """A number cell as an integer; a text as it is, for the model to judge."""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    return text(cell)


def choice(cell: Cell, names: Mapping[str, str]) -> str | None:
    """The stored value a cell names (`female`), by the value itself or its label in either
    language (`Nainen`, `Female`), case aside; any other text as it is, for the model to
    refuse."""
    value = text(cell)
    if value is None:
        return None
    return names.get(value.casefold(), value)


def choice_names(values: Iterable[StrEnum]) -> dict[str, str]:
    """What each value may be called in a cell: its value, and its name in each language."""
    names: dict[str, str] = {}
    for language in LANGUAGES:
        names.update(
            {vocabulary.enum_label(value, language).casefold(): value.value for value in values}
        )
    names.update({value.value.casefold(): value.value for value in values})
    return names


@cache
def country_names() -> dict[str, str]:
    """A nationality by its ISO code or the country's name in Finnish or English."""
    names = {
        name.casefold(): code for language in LANGUAGES for code, name in named_countries(language)
    }
    names.update({code.casefold(): code for code in CODES})
    return names
