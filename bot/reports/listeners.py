"""`/rekisteri raportti [period]` (`/register report`): the report in a modal, then, after the
acknowledgement, as CSV, XLSX and a PNG chart in the staff member's direct message.

`/rekisteri kysely` (`/register survey`): the satisfaction survey's recipients as a CSV in
the controller's direct message, built after the acknowledgement in a lazy listener."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.reports.blocks import report_view
from bot.reports.files import report_comment, report_uploads
from bot.reports.inputs import SurveyPeriod, is_report, is_survey, report_period
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_REGISTER
from bot.slack.middleware import require
from storage import exports, reports
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
    comment = report_comment(report, t)
    channel = client.chat_postMessage(channel=staff.slack_user_id, text=comment)["channel"]
    client.files_upload_v2(channel=channel, file_uploads=report_uploads(report, t))


def acknowledge_survey(
    ack: Ack, command: dict[str, Any], clock: AgencyClock, t: Translator
) -> None:
    SurveyPeriod.parse(command.get("text", ""), clock.today())
    ack(
        text=t("I am preparing the survey list; it comes to our direct messages."),
        response_type="ephemeral",
    )


def send_survey_list(
    command: dict[str, Any],
    client: WebClient,
    clock: AgencyClock,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    period = SurveyPeriod.parse(command.get("text", ""), clock.today())
    start, end = period.bounds(clock.zone)
    recipients = exports.survey_recipients(session=session, actor=staff, start=start, end=end)
    name = f"survey-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv"
    comment = t.n(
        "Satisfaction survey list for %(first)s–%(last)s: %(count)s person.",
        "Satisfaction survey list for %(first)s–%(last)s: %(count)s people.",
        len(recipients),
        first=period.first_day.isoformat(),
        last=period.last_day.isoformat(),
    )
    channel = client.chat_postMessage(channel=staff.slack_user_id, text=comment)["channel"]
    client.files_upload_v2(
        channel=channel, content=exports.survey_csv(recipients), filename=name, title=name
    )


def register(app: App) -> None:
    for name in COMMAND_REGISTER:
        app.command(
            name,
            matchers=[is_report],
            middleware=[require(Permission.REPORT_VIEW)],
        )(ack=open_report, lazy=[upload_report_files])
    for name in COMMAND_REGISTER:
        app.command(
            name,
            matchers=[is_survey],
            middleware=[require(Permission.SURVEY_EXPORT)],
        )(ack=acknowledge_survey, lazy=[send_survey_list])
