"""`/rekisteri raportti [period]` (`/register report`): the report in a modal, then, after the
acknowledgement, as CSV, XLSX and a PNG chart in the staff member's direct message; a period
with nothing to report says so in the modal, and no files follow.

`/rekisteri kysely` (`/register survey`): the satisfaction survey's recipients as a CSV in
the controller's direct message, built after the acknowledgement in a lazy listener.

Both take one period syntax (bot.reports.inputs); a period that cannot be used gets one
answer, from the acknowledgement.

Each file is recorded (storage.slack_copies) so that it is deleted from Slack after
SLACK_FILE_RETENTION_DAYS, or at once when a person on the survey list is erased."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.reports.blocks import report_view
from bot.reports.files import send_report_files
from bot.reports.inputs import (
    SurveyPeriod,
    given_period,
    is_report,
    is_survey,
    report_period,
)
from bot.slack.clock import AgencyClock
from bot.slack.i18n import Translator
from bot.slack.ids import COMMAND_REGISTER
from bot.slack.kept_in_slack import send_files
from bot.slack.middleware import require
from storage import exports, reports
from storage.enums import SlackFileKind
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
    file_retention_days: int,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    period = given_period(lambda: report_period(command.get("text", ""), today=clock.today()))
    if period is None:
        return
    report = reports.build_report(session=session, actor=staff, period=period, zone=clock.zone)
    if not report.has_data:
        return  # the modal says there is nothing to report
    send_report_files(
        client,
        session=session,
        to=staff.slack_user_id,
        report=report,
        t=t,
        clock=clock,
        retention_days=file_retention_days,
    )


def acknowledge_survey(
    ack: Ack, command: dict[str, Any], clock: AgencyClock, t: Translator
) -> None:
    SurveyPeriod.parse(command.get("text", ""), clock.today())
    ack(
        text=t("I am preparing the survey list; it comes to your direct messages."),
        response_type="ephemeral",
    )


def send_survey_list(
    command: dict[str, Any],
    client: WebClient,
    clock: AgencyClock,
    file_retention_days: int,
    session: Session,
    staff: StaffMember,
    t: Translator,
) -> None:
    period = given_period(lambda: SurveyPeriod.parse(command.get("text", ""), clock.today()))
    if period is None:
        return
    start, end = period.bounds(clock.zone)
    recipients = exports.survey_recipients(session=session, actor=staff, start=start, end=end)
    name = f"survey-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv"
    days = period.days(t.language)
    listed = t.n(
        "Satisfaction survey list for %(period)s: %(count)s person.",
        "Satisfaction survey list for %(period)s: %(count)s people.",
        len(recipients),
        period=days,
    )
    send_files(
        client,
        session=session,
        to=staff.slack_user_id,
        comment=listed,
        uploads=[{"content": exports.survey_csv(recipients), "filename": name, "title": name}],
        kind=SlackFileKind.SURVEY_LIST,
        retention_days=file_retention_days,
        now=clock.now(),
        zone=clock.zone,
        t=t,
        person_ids=[recipient.person_id for recipient in recipients],
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
