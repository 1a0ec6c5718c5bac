"""The report as files for the staff member's direct message: CSV, a spreadsheet (XLSX) and a
PNG chart of the meetings by month, each recorded so that it leaves Slack on time.

matplotlib and openpyxl (with numpy and Pillow, some 60 MB) are imported when a report is
first made: most web worker processes never make one and should not carry them."""

import io
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.reports.blocks import period_text, report_tables
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.kept_in_slack import send_files
from storage.enums import SlackFileKind
from storage.reports import SMALL_CELL, Report
from storage.spreadsheets import append_row, csv_bytes

# Room above the tallest bar for its label.
HEADROOM = 1.15


def file_stem(report: Report) -> str:
    return f"report-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"


def send_report_files(
    client: WebClient,
    *,
    session: Session,
    to: str,
    report: Report,
    t: Translator,
    clock: AgencyClock,
    retention_days: int,
) -> None:
    send_files(
        client,
        session=session,
        to=to,
        comment=report_comment(report, t),
        uploads=report_uploads(report, t),
        kind=SlackFileKind.REPORT,
        retention_days=retention_days,
        now=clock.now(),
        zone=clock.zone,
        t=t,
    )


def report_comment(report: Report, t: Translator) -> str:
    """The direct message the files come with."""
    return t("The register's report for %(period)s.", period=period_text(report.period, t))


def report_uploads(report: Report, t: Translator) -> list[dict[str, Any]]:
    """The report as CSV, XLSX and a PNG chart, as `files_upload_v2` takes them."""
    stem = file_stem(report)
    contents = {"csv": to_csv(report, t), "xlsx": to_xlsx(report, t), "png": chart_png(report, t)}
    return [
        {"content": content, "filename": f"{stem}.{kind}", "title": f"{stem}.{kind}"}
        for kind, content in contents.items()
    ]


def to_csv(report: Report, t: Translator) -> bytes:
    rows: list[tuple[str, str, str | int]] = [(t("Table"), t("Value"), t("Count"))]
    for table in report_tables(report, t):
        rows += [(table.title, label, count) for label, count in table.rows]
    return csv_bytes(rows)


def to_xlsx(report: Report, t: Translator) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("Report")
    append_row(sheet, [period_text(report.period, t)])
    for table in report_tables(report, t):
        append_row(sheet, [])
        append_row(sheet, [table.title])
        for label, count in table.rows:
            append_row(sheet, [label, count])
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def chart_png(report: Report, t: Translator) -> bytes:
    out = io.BytesIO()
    chart_figure(report, t).savefig(out, format="png")
    return out.getvalue()


def chart_figure(report: Report, t: Translator) -> Any:
    """The chart, a matplotlib Figure: meetings by month on a count axis from zero, in whole
    numbers and at least up to the smallest count shown; a hidden month is an empty bar
    labelled "< 5" or "x", and a period without meetings says so across the chart."""
    from matplotlib.figure import Figure  # draws without a display: no pyplot, no backend
    from matplotlib.ticker import MaxNLocator

    rows = report.meetings_by_month
    months = [row.value or "" for row in rows]
    counts = [row.count if isinstance(row.count, int) else 0 for row in rows]
    figure = Figure(figsize=(8, 4.5), dpi=100)
    axes = figure.subplots()
    bars = axes.bar(months, counts, color="#2f6f9f")
    if any(row.count != 0 for row in rows):
        axes.bar_label(bars, labels=[str(row.count) for row in rows])
    else:
        axes.text(
            0.5,
            0.5,
            t("No meetings in this period."),
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize="large",
        )
    axes.set_ylim(0, max([*counts, SMALL_CELL]) * HEADROOM)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(t("Meetings by month") + " · " + period_text(report.period, t))
    axes.set_ylabel(t("Meetings"))
    axes.tick_params(axis="x", labelrotation=45)
    figure.tight_layout()
    return figure
