"""The report's modal, and the translated tables the modal and the files share."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.customers.fields import enum_label
from bot.slack.i18n import N_, Translator
from bot.slack.ids import REPORT_VIEW
from bot.slack.text import format_month, format_period
from storage.enums import (
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    MeetingKind,
)
from storage.reports import Count, Period, Report, Row

FIELDS_PER_SECTION = 10
ROWS_IN_MODAL = 30

UNKNOWN = N_("Unknown")
NO_DATA = N_(
    "*Nothing to report for this period:* no meetings were logged and no new customers were "
    "added (restricted persons are left out). No files are sent."
)
TABLE_TITLES = {
    "totals": N_("Totals"),
    "meetings_by_kind": N_("Meetings by kind"),
    "meetings_by_month": N_("Meetings by month"),
    "municipality": N_("Customers met by municipality"),
    "employment_status": N_("Customers met by employment status"),
    "labour_market_position": N_("Customers met by position in the labour market"),
    "education": N_("Customers met by education"),
    "age_band": N_("Customers met by age at the period's end"),
    "gender": N_("Customers met by gender"),
    "heard_from": N_("Customers met by where they heard of us"),
}
ENUM_OF_TABLE: dict[str, type[StrEnum]] = {
    "meetings_by_kind": MeetingKind,
    "employment_status": EmploymentStatus,
    "labour_market_position": LabourMarketPosition,
    "education": Education,
    "gender": Gender,
    "heard_from": HeardFrom,
}


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[tuple[str, Count]]


def period_text(period: Period, t: Translator) -> str:
    return format_period(period.start, period.end, t.language)


def row_label(table: str, value: str | None, t: Translator) -> str:
    if value is None:
        return t(UNKNOWN)
    if table == "meetings_by_month":
        return format_month(date.fromisoformat(f"{value}-01"), t.language)
    enum = ENUM_OF_TABLE.get(table)
    return enum_label(enum(value), t) if enum else value


def report_tables(report: Report, t: Translator) -> list[Table]:
    def table(name: str, rows: tuple[Row, ...]) -> Table:
        return Table(
            t(TABLE_TITLES[name]), [(row_label(name, row.value, t), row.count) for row in rows]
        )

    totals = Table(
        t(TABLE_TITLES["totals"]),
        [
            (t("New customers"), report.new_customers),
            (t("Customers met"), report.customers_met),
            (t("Meetings"), report.meetings),
        ],
    )
    return [
        totals,
        table("meetings_by_kind", report.meetings_by_kind),
        table("meetings_by_month", report.meetings_by_month),
        *(table(name, rows) for name, rows in report.breakdowns.items()),
    ]


def report_view(report: Report, t: Translator) -> View:
    """The report's tables; for a period with nothing in it, only that it has none."""
    blocks: list[Block] = [HeaderBlock(text=period_text(report.period, t))]
    if not report.has_data:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=t(NO_DATA))))
        return View(
            type="modal",
            callback_id=REPORT_VIEW,
            title=t("Report"),
            close=t("Close"),
            blocks=blocks,
        )
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=t(
                        "Counts from 1 to 4 are shown as “< 5”, and “x” hides another count so "
                        "that a small one cannot be worked out from the totals; restricted "
                        "persons are left out. The CSV, the spreadsheet and a chart come to your "
                        "direct messages."
                    )
                )
            ]
        )
    )
    for table in report_tables(report, t):
        blocks += _table_blocks(table, t)
    return View(
        type="modal", callback_id=REPORT_VIEW, title=t("Report"), close=t("Close"), blocks=blocks
    )


def _table_blocks(table: Table, t: Translator) -> list[Block]:
    shown = table.rows[:ROWS_IN_MODAL]
    fields = [PlainTextObject(text=f"{label}: {count}") for label, count in shown]
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=f"*{table.title}*"))]
    if not fields:
        fields = [PlainTextObject(text="–")]
    for start in range(0, len(fields), FIELDS_PER_SECTION):
        blocks.append(SectionBlock(fields=fields[start : start + FIELDS_PER_SECTION]))
    if len(table.rows) > ROWS_IN_MODAL:
        more = len(table.rows) - ROWS_IN_MODAL
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=t.n(
                            "And %(count)d more in the files.",
                            "And %(count)d more in the files.",
                            more,
                        )
                    )
                ]
            )
        )
    return blocks
