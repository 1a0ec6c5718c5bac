"""Redacting a message after an erasure: a follow-up reminder that named only the erased
person is replaced by a note; one Slack no longer has is not an error."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import erasure, outbox, slack_copies
from storage.db import Database
from storage.models import OutboxMessage, SlackMessage
from storage.models.enums import OutboxKind, OutboxStatus, Role
from tests.bot.helpers.outbox import NOW, deliverer
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_meeting, add_person, add_staff

HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = datetime(2026, 11, 27, 8, 0, tzinfo=HELSINKI).date()


def reminder_naming_one_person(database: Database, settings: Settings) -> tuple[int, str]:
    """A follow-up reminder really posted, recorded as the delivery records it."""
    with database.transaction() as session:
        advisor = add_staff(session, "UADV1", language="en")
        controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
        person = add_person(session, "Maija", "Poistettava")
        met = datetime(2026, 11, 20, 10, 0, tzinfo=HELSINKI)
        add_meeting(session, person, advisor, met, follow_up_on=TODAY)
        posted = build_web_client(settings).chat_postMessage(
            channel="UADV1", text="Your follow-ups today: 1 · Maija Poistettava"
        )
        slack_copies.record_message(
            session=session,
            channel_id=posted["channel"],
            message_ts=posted["ts"],
            kind=OutboxKind.FOLLOW_UPS,
            recipient="UADV1",
            params={"on": TODAY.isoformat()},
            person_ids=[person.id],
        )
        erasure.erase(session=session, actor=controller, person_id=person.id, request_id=None)
        outbox.forget_enqueued(session)
        return person.id, posted["ts"]


def test_a_message_left_with_no_one_to_name_is_replaced_by_a_note(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    _, ts = reminder_naming_one_person(database, settings)

    report = deliverer(database, settings).deliver_due(NOW)

    assert report.delivered == 1
    (update,) = [call.args for call in slack_api.calls_to("chat.update") if call.args["ts"] == ts]
    shown = update["text"] + json.dumps(update["blocks"])
    assert "Poistettava" not in shown and "Maija" not in shown
    assert "erased from the register" in update["text"]
    with database.reading() as session:
        (message,) = session.scalars(select(SlackMessage)).all()
        assert message.redacted_at is not None
    assert slack_api.violations == []


def test_a_message_slack_no_longer_has_is_not_an_error(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    reminder_naming_one_person(database, settings)
    slack_api.inject("chat.update", status=200, error="message_not_found")

    report = deliverer(database, settings).deliver_due(NOW + timedelta(minutes=1))

    assert (report.delivered, report.failed) == (1, 0)
    with database.reading() as session:
        (status,) = session.scalars(
            select(OutboxMessage.status).where(
                OutboxMessage.kind == OutboxKind.SLACK_MESSAGE_REDACT
            )
        ).all()
        assert status is OutboxStatus.DELIVERED
        (message,) = session.scalars(select(SlackMessage)).all()
        assert message.redacted_at is not None
