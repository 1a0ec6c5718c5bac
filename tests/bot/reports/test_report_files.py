import csv
import io
from datetime import date

from openpyxl import load_workbook

from bot.reports.files import chart_png, to_csv, to_xlsx
from bot.slack.i18n import Translator
from storage.reports import SUPPRESSED, Period, Report, Row

REPORT = Report(
    period=Period(date(2026, 1, 1), date(2026, 2, 28)),
    new_customers=6,
    customers_met=SUPPRESSED,
    meetings=7,
    meetings_by_kind=(Row("meeting", 7),),
    meetings_by_month=(Row("2026-01", 7), Row("2026-02", SUPPRESSED)),
    breakdowns={"municipality": (Row("=HYPERLINK(1)", 5), Row("Testikylä", SUPPRESSED))},
)


def test_a_typed_value_never_becomes_a_formula() -> None:
    content = to_csv(REPORT, Translator("en"))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Table", "Value", "Count"]
    assert ["Customers met by municipality", "'=HYPERLINK(1)", "5"] in rows

    sheet = load_workbook(io.BytesIO(to_xlsx(REPORT, Translator("en")))).active
    assert sheet is not None
    cells = {row[0].value: row for row in sheet.iter_rows() if row[0].value is not None}
    formula = cells["=HYPERLINK(1)"]
    assert formula[0].data_type == "s" and formula[1].value == 5
    assert cells["Testikylä"][1].value == SUPPRESSED


def test_the_chart_is_a_png() -> None:
    assert chart_png(REPORT, Translator("fi")).startswith(b"\x89PNG\r\n\x1a\n")
