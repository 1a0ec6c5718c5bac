"""`/rekisteri raportti [period]` (`/register report`): the report in a modal, then, after the
acknowledgement, as CSV, XLSX and a PNG chart in the staff member's direct message."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks.report import period_text, report_view
from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import COMMAND_REGISTER
from bot.inputs.register_command import RegisterAction
from bot.inputs.report_command import report_period
from bot.listeners.commands.register_command import is_action
from bot.middleware import require
from bot.report_files import chart_png, file_stem, to_csv, to_xlsx
from storage import reports
from storage.permissions import Permission
from storage.staff import StaffMember


def open_report(
    ack: Ack,
    command: dict[str, Any],
    client: WebClient,
    clock: AgencyClock,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    period = report_period(command.get("text", ""), today=clock.today())
    ack()
    report = reports.build_report(session=session, actor=staff, period=period, zone=clock.zone)
    client.views_open(trigger_id=command["trigger_id"], view=report_view(report, t))


def upload_report_files(
    command: dict[str, Any],
    client: WebClient,
    clock: AgencyClock,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    period = report_period(command.get("text", ""), today=clock.today())
    report = reports.build_report(session=session, actor=staff, period=period, zone=clock.zone)
    comment = t("The register's report for %(period)s.", period=period_text(period, t))
    channel = client.chat_postMessage(channel=staff.slack_user_id, text=comment)["channel"]
    stem = file_stem(report)
    client.files_upload_v2(
        channel=channel,
        file_uploads=[
            {"content": to_csv(report, t), "filename": f"{stem}.csv", "title": f"{stem}.csv"},
            {"content": to_xlsx(report, t), "filename": f"{stem}.xlsx", "title": f"{stem}.xlsx"},
            {"content": chart_png(report, t), "filename": f"{stem}.png", "title": f"{stem}.png"},
        ],
    )


def register(app: App) -> None:
    for name in COMMAND_REGISTER:
        app.command(
            name,
            matchers=[is_action(RegisterAction.REPORT)],
            middleware=[require(Permission.REPORT_VIEW)],
        )(ack=open_report, lazy=[upload_report_files])
