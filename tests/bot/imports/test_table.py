"""Spreadsheets as Finnish offices save them: CSV in UTF-8 with or without a byte order mark,
`;` or `,` between fields, and XLSX; each row keeps the line it starts on."""

import io
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.imports.table import NOT_A_WORKBOOK, NOT_UTF8, OLD_EXCEL, UnreadableFile, read_table

HEADER = "first_name;last_name;email"


def write(tmp_path: Path, data: bytes, name: str = "rekisteri.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbffirst_name;last_name;email\r\nTesti;Virtanen;t@example.fi\r\n",
        b"first_name;last_name;email\nTesti;Virtanen;t@example.fi\n",
        b"first_name,last_name,email\r\nTesti,Virtanen,t@example.fi\r\n",
        b"\xef\xbb\xbffirst_name,last_name,email\nTesti,Virtanen,t@example.fi",
    ],
    ids=["bom-semicolon", "semicolon", "comma", "bom-comma"],
)
def test_csv_with_or_without_a_bom_and_either_delimiter(tmp_path: Path, data: bytes) -> None:
    table = read_table(write(tmp_path, data))
    assert table.columns == ["first_name", "last_name", "email"]
    assert table.rows == [(2, ["Testi", "Virtanen", "t@example.fi"])]


def test_a_quoted_cell_over_several_lines_keeps_the_line_numbers_true(tmp_path: Path) -> None:
    data = (
        b"first_name;last_name;heard_from_text\r\n"
        b'Testi;Virtanen;"rivi yksi\r\nrivi kaksi; kolme"\r\n'
        b";;\r\n"
        b"Maija;Mallikas;\r\n"
    )
    table = read_table(write(tmp_path, data))
    assert table.rows == [
        (2, ["Testi", "Virtanen", "rivi yksi\r\nrivi kaksi; kolme"]),
        (5, ["Maija", "Mallikas", ""]),  # the empty line 4 is left out
    ]


def test_a_workbook_is_read_from_its_first_sheet_with_its_cells_as_typed(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["first_name", "last_name", "birth_date", "postal_code"])
    sheet.append(["Testi", "Virtanen", datetime(1979, 7, 1), 100])
    sheet.append([None, None, None, None])
    sheet.append(["Maija", "Mallikas", "1.7.1979", "00100"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = read_table(write(tmp_path, buffer.getvalue(), "rekisteri.xlsx"))

    assert table.columns == ["first_name", "last_name", "birth_date", "postal_code"]
    assert table.rows == [
        (2, ["Testi", "Virtanen", datetime(1979, 7, 1), 100]),
        (4, ["Maija", "Mallikas", "1.7.1979", "00100"]),
    ]


def test_standard_input_is_read_for_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    data = f"{HEADER}\nTesti;Virtanen;t@example.fi\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert read_table("-").rows == [(2, ["Testi", "Virtanen", "t@example.fi"])]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("first_name;last_name\nTesti;Mäkelä\n".encode("cp1252"), NOT_UTF8),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest of an old workbook", OLD_EXCEL),
        (b"PK\x03\x04not really a workbook", NOT_A_WORKBOOK),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_saying_why(
    tmp_path: Path, data: bytes, message: str
) -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_table(write(tmp_path, data))
    assert refused.value.message == message
    assert "Mäkelä" not in str(refused.value)
