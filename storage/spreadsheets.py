"""Every CSV and XLSX the register writes: formulas neutralised, and in the form a Finnish
spreadsheet opens as it is (CSV in UTF-8 with a byte order mark, `;` between fields).

A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula
(OWASP: CSV injection). In CSV such a cell gets a leading `'`; in XLSX every text is written as a
string cell, never a formula, so it reads exactly as typed.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is imported only where a workbook is made (bot.reports.files)
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"

Cell = str | int | float | None
# The control characters an XLSX cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
XLSX_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def csv_text(value: str) -> str:
    """A text as a CSV cell: quoted with `'` where a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_bytes(rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(cell) if isinstance(cell, str) else cell for cell in row])
    return out.getvalue().encode(CSV_ENCODING)


def append_row(sheet: "Worksheet", row: Sequence[Cell]) -> None:
    """Adds a row whose texts are string cells, never formulas (characters XLSX cannot hold are
    left out)."""
    sheet.append([XLSX_ILLEGAL.sub("", cell) if isinstance(cell, str) else cell for cell in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
