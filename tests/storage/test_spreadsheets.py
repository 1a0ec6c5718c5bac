"""The one writer of CSV and XLSX: formulas neutralised, files a Finnish spreadsheet opens."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from storage.spreadsheets import append_row, csv_bytes

FORMULAS = ['=HYPERLINK("https://x.invalid";"klikkaa")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_csv_cell_that_would_be_a_formula_is_quoted(formula: str) -> None:
    content = csv_bytes([("name", "count"), (formula, 5)])

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [["name", "count"], ["'" + formula, "5"]]


def test_plain_text_and_numbers_are_written_as_they_are() -> None:
    content = csv_bytes([("Mäkinen; Åsa", 7, None)])
    assert content.decode("utf-8-sig") == '"Mäkinen; Åsa";7;\r\n'


@pytest.mark.parametrize("formula", FORMULAS)
def test_an_xlsx_cell_is_a_string_never_a_formula(formula: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    append_row(sheet, [formula, 5])
    out = io.BytesIO()
    book.save(out)

    read = load_workbook(io.BytesIO(out.getvalue())).active
    assert read is not None
    text, count = read[1]
    # XML reads a carriage return back as a line feed.
    assert text.data_type == "s" and text.value == formula.replace("\r", "\n")
    assert count.value == 5
