"""A spreadsheet as the import reads it: CSV as Finnish spreadsheets save it (UTF-8 with or
without a byte order mark, `;` or `,` between fields), or XLSX; the first row names the columns.

Each row keeps the number of the line (CSV) or row (XLSX) it starts on, so that a report can
point at it. Rows with nothing in them are left out, as spreadsheets add them at the end.
"""

import csv
import io
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from bot.slack.i18n import N_

STDIN = "-"
ZIP_START = b"PK\x03\x04"
OLD_EXCEL_START = b"\xd0\xcf\x11\xe0"
DELIMITERS = ";,\t"

Cell = str | int | float | bool | date | datetime | time | None


CANNOT_READ = N_("Cannot read %(file)s.")
OLD_EXCEL = N_("This is an old Excel workbook (.xls): save it as .xlsx or as CSV UTF-8.")
EMPTY = N_("The file is empty: its first row must name the columns.")
NOT_UTF8 = N_(
    "The file is not UTF-8 text: save it as CSV UTF-8 (in Excel: CSV UTF-8, comma delimited) "
    "or as .xlsx."
)
BROKEN_CSV = N_("The CSV cannot be read from line %(line)d on.")
NOT_A_WORKBOOK = N_("The file is neither CSV nor a readable .xlsx workbook.")


class UnreadableFile(Exception):
    """The file cannot be read as a table: an N_-marked reason, which holds no cell."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Table:
    columns: list[str]  # as the first row names them, stripped
    rows: list[tuple[int, list[Cell]]]  # (line, cells)


def read_table(source: str) -> Table:
    """The table in the file named `source`, or in standard input for `-`."""
    try:
        data = sys.stdin.buffer.read() if source == STDIN else Path(source).read_bytes()
    except OSError:
        raise UnreadableFile(CANNOT_READ, file=source) from None
    if data.startswith(OLD_EXCEL_START):
        raise UnreadableFile(OLD_EXCEL)
    if data.startswith(ZIP_START):
        return _xlsx(data)
    return _csv(data)


def _table(rows: Iterator[tuple[int, list[Cell]]]) -> Table:
    header = next(rows, None)
    if header is None:
        raise UnreadableFile(EMPTY)
    columns = [str(cell).strip() if cell is not None else "" for cell in header[1]]
    body = [(line, cells) for line, cells in rows if any(_filled(cell) for cell in cells)]
    return Table(columns=columns, rows=body)


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(NOT_UTF8) from None
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ","
    return _table(_csv_rows(text, delimiter))


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[Cell]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, list(cells)
            line = reader.line_num + 1
    except csv.Error:
        raise UnreadableFile(BROKEN_CSV, line=line) from None


def _xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # only an import reads a workbook (see bot.reports.files)

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise UnreadableFile(NOT_A_WORKBOOK) from None
    try:
        sheet = workbook.worksheets[0]
        rows = (
            (number, list(cells))
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table(rows)
    finally:
        workbook.close()
