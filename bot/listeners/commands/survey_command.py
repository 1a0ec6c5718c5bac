"""`/rekisteri kysely` (`/register survey`): the satisfaction survey's recipients as a CSV in
the controller's direct message, built after the acknowledgement in a lazy listener."""

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.clock import AgencyClock
from bot.i18n import Translator
from bot.ids import COMMAND_REGISTER
from bot.inputs.register_command import RegisterAction
from bot.inputs.survey_command import SurveyPeriod
from bot.listeners.commands.register_command import is_action
from bot.middleware import require
from storage import exports
from storage.permissions import Permission
from storage.staff import StaffMember


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
    comment = t(
        "Satisfaction survey list for %(first)s–%(last)s: %(count)s people.",
        first=period.first_day.isoformat(),
        last=period.last_day.isoformat(),
        count=len(recipients),
    )
    channel = client.chat_postMessage(channel=staff.slack_user_id, text=comment)["channel"]
    client.files_upload_v2(
        channel=channel, content=exports.survey_csv(recipients), filename=name, title=name
    )


def register(app: App) -> None:
    for name in COMMAND_REGISTER:
        app.command(
            name,
            matchers=[is_action(RegisterAction.SURVEY)],
            middleware=[require(Permission.SURVEY_EXPORT)],
        )(ack=acknowledge_survey, lazy=[send_survey_list])
