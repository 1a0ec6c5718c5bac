"""The report as files for the controller's direct message: CSV, a spreadsheet (XLSX) and a
PNG chart of the meetings by month."""

import csv
import io

import matplotlib
from matplotlib.figure import Figure
from openpyxl import Workbook

from bot.blocks.report import period_text, report_tables
from bot.i18n import Translator
from storage.reports import SUPPRESSED, Report

matplotlib.use("Agg")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(text: str) -> str:
    """A typed value (a municipality) that a spreadsheet would otherwise run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def file_stem(report: Report) -> str:
    return f"report-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"


def to_csv(report: Report, t: Translator) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t("Table"), t("Value"), t("Count")])
    for table in report_tables(report, t):
        for label, count in table.rows:
            writer.writerow([table.title, cell_text(label), count])
    return out.getvalue()


def to_xlsx(report: Report, t: Translator) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("Report")
    sheet.append([period_text(report.period, t)])
    for table in report_tables(report, t):
        sheet.append([])
        sheet.append([table.title])
        for label, count in table.rows:
            sheet.append([cell_text(label), count])
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chart_png(report: Report, t: Translator) -> bytes:
    """Meetings by month; a suppressed month is drawn as an empty bar labelled "< 5"."""
    months = [row.value or "" for row in report.meetings_by_month]
    counts = [0 if row.count == SUPPRESSED else row.count for row in report.meetings_by_month]
    figure = Figure(figsize=(8, 4.5), dpi=100)
    axes = figure.subplots()
    bars = axes.bar(months, counts, color="#2f6f9f")
    axes.bar_label(bars, labels=[str(row.count) for row in report.meetings_by_month])
    axes.set_title(t("Meetings by month") + " · " + period_text(report.period, t))
    axes.set_ylabel(t("Meetings"))
    axes.tick_params(axis="x", labelrotation=45)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
