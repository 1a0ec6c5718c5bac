import csv
import io
from datetime import date

from openpyxl import load_workbook

from bot.reports.files import chart_figure, chart_png, to_csv, to_xlsx
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


EMPTY = Report(
    period=Period(date(2026, 3, 1), date(2026, 5, 31)),
    new_customers=6,
    customers_met=0,
    meetings=0,
    meetings_by_kind=(),
    meetings_by_month=(Row("2026-03", 0), Row("2026-04", 0), Row("2026-05", 0)),
    breakdowns={},
)


def test_the_chart_is_a_png() -> None:
    assert chart_png(REPORT, Translator("fi")).startswith(b"\x89PNG\r\n\x1a\n")
    assert chart_png(EMPTY, Translator("fi")).startswith(b"\x89PNG\r\n\x1a\n")


def ticks(axes: object) -> list[float]:
    low, high = axes.get_ylim()  # type: ignore[attr-defined]
    return [tick for tick in axes.get_yticks() if low <= tick <= high]  # type: ignore[attr-defined]


def test_the_chart_counts_from_zero_in_whole_meetings_with_each_bar_labelled() -> None:
    (axes,) = chart_figure(REPORT, Translator("en")).axes

    low, high = axes.get_ylim()
    assert low == 0 and 7 < high < 9
    assert all(tick == int(tick) for tick in ticks(axes))
    assert [label.get_text() for label in axes.texts] == ["7", "< 5"]


def test_a_chart_without_meetings_says_so_on_an_axis_of_a_few() -> None:
    (axes,) = chart_figure(EMPTY, Translator("fi")).axes

    low, high = axes.get_ylim()
    assert low == 0 and 5 <= high < 6  # not -0.04 to 0.04
    assert ticks(axes) == [0, 1, 2, 3, 4, 5]
    assert [label.get_text() for label in axes.texts] == ["Jaksolla ei ole tapaamisia."]
