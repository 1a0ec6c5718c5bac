"""Everything the bot must say goes through the outbox: a Slack outage while a request is filed
loses no alert, the clock delivers it once Slack is back, exactly once per controller, and what
stays undelivered for over an hour shows on a controller's Home tab and under `/rekisteri`."""

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from bot.jobs.runner import JobOutcome, run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage.db import Database
from storage.models import DataSubjectRequest, OutboxMessage, RequestAlert
from storage.models.base import utcnow
from storage.models.enums import OutboxKind, OutboxStatus
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.data_subject_requests import (
    ADVISOR,
    CONTROLLER,
    CONTROLLER_EN,
    HELSINKI,
    people,
    press,
    request_values,
    submit,
)

__all__ = ["people"]  # the fixture, shared with the request tests

UNDELIVERED = "Viestit, joita ei ole saatu perille yli tuntiin"


def deliver_outbox(database: Database, settings: Settings, *, hours_later: int) -> JobOutcome:
    return run_job(
        "outbox-delivery",
        database=database,
        client=build_web_client(settings),
        settings=settings,
        now=datetime.now(HELSINKI) + timedelta(hours=hours_later),
    )


def delivered_alerts(slack_api: SlackWebApiDouble) -> list[str]:
    return [
        call.args["channel"]
        for call in slack_api.calls_to("chat.postMessage")
        if call.injected is None
    ]


def outbox_rows(database: Database) -> list[tuple[OutboxKind, str, OutboxStatus]]:
    with database.transaction() as session:
        rows = session.execute(
            select(OutboxMessage.kind, OutboxMessage.recipient, OutboxMessage.status).order_by(
                OutboxMessage.id
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def age_the_outbox(database: Database, hours: int) -> None:
    with database.transaction() as session:
        session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(hours=hours)))


def home_text(slack: SlackSender, slack_api: SlackWebApiDouble, user_id: str) -> str:
    slack.event({"type": "app_home_opened", "user": user_id, "channel": "D1", "tab": "home"})
    view = slack_api.calls_to("views.publish")[-1].args["view"]
    return json.dumps(view, ensure_ascii=False)


def register_help(slack: SlackSender, user_id: str, text: str = "ohje") -> str:
    reply = slack.command("/rekisteri", text, user_id=user_id)
    return json.dumps(reply.json(), ensure_ascii=False)


def file_during_an_outage(slack: SlackSender, slack_api: SlackWebApiDouble, person: int) -> None:
    slack.command("/tietopyynto", user_id=ADVISOR)
    slack_api.inject("chat.postMessage", status=503, times=1000)
    reply = submit(slack, opened_view(slack_api), request_values(person), ADVISOR)
    assert reply.status == 200 and reply.body == b"", reply.body


def test_alerts_lost_to_a_slack_outage_are_delivered_later_once_to_each_controller(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    database: Database,
    settings: Settings,
    people: dict[str, Any],
) -> None:
    file_during_an_outage(slack, slack_api, people["maija"])

    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(DataSubjectRequest)) == 1
    (confirmation,) = slack_api.calls_to("response_url")
    assert "kirjattu" in confirmation.args["text"]
    assert delivered_alerts(slack_api) == []
    assert outbox_rows(database) == [
        (OutboxKind.REQUEST_ALERT, CONTROLLER, OutboxStatus.PENDING),
        (OutboxKind.REQUEST_ALERT, CONTROLLER_EN, OutboxStatus.PENDING),
        (OutboxKind.FILING_CONFIRMATION, ADVISOR, OutboxStatus.DELIVERED),
    ]

    slack_api.clear_faults()
    first = deliver_outbox(database, settings, hours_later=1)
    second = deliver_outbox(database, settings, hours_later=2)

    assert first.summary.startswith("2 delivered") and second.summary.startswith("0 delivered")
    assert sorted(delivered_alerts(slack_api)) == [CONTROLLER, CONTROLLER_EN]
    alerts = [c for c in slack_api.calls_to("chat.postMessage") if c.injected is None]
    assert all(people["reference"] in json.dumps(c.args) for c in alerts)
    assert all("Mallikas" not in json.dumps(c.args) for c in alerts)
    with database.transaction() as session:
        recorded = session.scalars(select(RequestAlert.slack_user_id).order_by(RequestAlert.id))
        assert sorted(recorded) == [CONTROLLER, CONTROLLER_EN]
    assert {status for _, _, status in outbox_rows(database)} == {OutboxStatus.DELIVERED}


def test_a_filing_confirmation_lost_to_an_outage_reaches_the_filer_later_once(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    database: Database,
    settings: Settings,
    people: dict[str, Any],
) -> None:
    """A form opened without a response_url (from a card's button) is confirmed by direct
    message, which an outage must delay, not lose."""
    slack.command("/tietopyynto", user_id=ADVISOR)
    view = opened_view(slack_api)
    metadata = json.loads(view["private_metadata"]) | {"response_url": None}
    slack_api.inject("chat.postMessage", status=503, times=1000)

    submit(
        slack,
        view | {"private_metadata": json.dumps(metadata)},
        request_values(people["maija"]),
        ADVISOR,
    )
    slack_api.clear_faults()
    deliver_outbox(database, settings, hours_later=1)
    deliver_outbox(database, settings, hours_later=2)

    confirmations = [
        call.args["text"]
        for call in slack_api.calls_to("chat.postMessage")
        if call.injected is None and call.args["channel"] == ADVISOR
    ]
    assert len(confirmations) == 1 and "kirjattu" in confirmations[0]
    assert slack_api.calls_to("response_url") == []


def test_a_late_alert_is_updated_in_place_like_any_other(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    database: Database,
    settings: Settings,
    people: dict[str, Any],
) -> None:
    file_during_an_outage(slack, slack_api, people["maija"])
    slack_api.clear_faults()
    deliver_outbox(database, settings, hours_later=1)
    with database.transaction() as session:
        request_id = session.scalars(select(DataSubjectRequest.id)).one()
    slack_api.calls[:] = [call for call in slack_api.calls if call.injected is None]

    press(slack, slack_api, "request_start", request_id)

    updates = slack_api.calls_to("chat.update")
    assert len(updates) == 2 and all(u.injected is None for u in updates)
    alert = next(c for c in slack_api.calls_to("chat.postMessage") if c.injected is None)
    assert alert.response is not None
    assert any(u.args["ts"] == alert.response["ts"] for u in updates)


def test_what_is_undelivered_for_over_an_hour_shows_to_controllers_only(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    database: Database,
    settings: Settings,
    people: dict[str, Any],
) -> None:
    file_during_an_outage(slack, slack_api, people["maija"])
    assert UNDELIVERED not in home_text(slack, slack_api, CONTROLLER)  # not an hour yet

    age_the_outbox(database, hours=2)

    home = home_text(slack, slack_api, CONTROLLER)
    assert UNDELIVERED in home and "ilmoitukset rekisteröityjen pyynnöistä: 2" in home
    view = slack_api.calls_to("views.publish")[-1].args["view"]
    (section,) = [
        json.dumps(block, ensure_ascii=False)
        for block in view["blocks"]
        if UNDELIVERED in json.dumps(block, ensure_ascii=False)
    ]
    assert "Mallikas" not in section and people["reference"] not in section
    assert UNDELIVERED not in home_text(slack, slack_api, ADVISOR)
    assert "ilmoitukset rekisteröityjen pyynnöistä: 2" in register_help(slack, CONTROLLER, "")
    assert UNDELIVERED not in register_help(slack, ADVISOR)

    slack_api.clear_faults()
    deliver_outbox(database, settings, hours_later=1)

    assert UNDELIVERED not in home_text(slack, slack_api, CONTROLLER)
    assert UNDELIVERED not in register_help(slack, CONTROLLER)


def test_a_recipient_slack_refuses_for_good_is_not_retried_and_shows_as_refused(
    slack: SlackSender,
    slack_api: SlackWebApiDouble,
    database: Database,
    settings: Settings,
    people: dict[str, Any],
) -> None:
    slack.command("/tietopyynto", user_id=ADVISOR)
    slack_api.inject("chat.postMessage", status=200, error="channel_not_found")
    submit(slack, opened_view(slack_api), request_values(people["maija"]), ADVISOR)

    assert delivered_alerts(slack_api) == [CONTROLLER_EN]
    assert outbox_rows(database) == [
        (OutboxKind.REQUEST_ALERT, CONTROLLER, OutboxStatus.FAILED),
        (OutboxKind.REQUEST_ALERT, CONTROLLER_EN, OutboxStatus.DELIVERED),
        (OutboxKind.FILING_CONFIRMATION, ADVISOR, OutboxStatus.DELIVERED),
    ]
    assert deliver_outbox(database, settings, hours_later=3).summary.startswith("0 delivered")
    assert len(slack_api.calls_to("chat.postMessage")) == 2

    age_the_outbox(database, hours=2)
    home = home_text(slack, slack_api, CONTROLLER_EN)
    assert "Refused by Slack, not retried:" in home and "request alerts: 1" in home
