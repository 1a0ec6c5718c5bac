"""Where each workspace has its own bot token, what an agency's transaction put in the outbox
goes, once it commits, with that agency's token, in that agency's transactions."""

from sqlalchemy import select

from bot.outbox.setup import deliver_after_commits
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import agencies, outbox
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.enums import OutboxKind, OutboxStatus, Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_staff


def test_an_agencys_message_goes_with_its_own_bot_token(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    serving = database.acting_for(None)
    with serving.transaction(agency=None) as session:
        agency_a = agencies.install(session=session, team_id="T0AGENCYA")
        agency_b = agencies.install(session=session, team_id="T0AGENCYB")
    tokens = {agency_a: "xoxb-agency-a", agency_b: "xoxb-agency-b"}
    deliver_after_commits(serving, build_web_client(settings), settings, bot_tokens=tokens.get)

    for agency, controller in ((agency_a, "UCONTROLA"), (agency_b, "UCONTROLB")):
        with serving.transaction(agency=agency) as session:
            add_staff(session, controller, Role.CONTROLLER)
            outbox.enqueue(
                session=session,
                key=f"test:{controller}",
                kind=OutboxKind.AUDIT_BROKEN,
                recipient=controller,
                params={"event_id": 7},
            )

    sent = {
        call.args["channel"]: call.headers["authorization"]
        for call in slack_api.calls_to("chat.postMessage")
    }
    assert sent == {"UCONTROLA": "Bearer xoxb-agency-a", "UCONTROLB": "Bearer xoxb-agency-b"}
    for agency in (agency_a, agency_b):
        with serving.reading(agency=agency) as session:
            assert session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.DELIVERED]
