"""Notices to the register's contact persons: every active controller, each in their own
language; one Slack refuses is skipped and logged by id."""

import logging

import pytest

from bot.blocks.person_form import RESTRICTED_DUPLICATE
from bot.controller_notices import ControllerNotice, tell_controllers
from bot.settings import Settings
from bot.slack_client import build_web_client
from storage.db import Database
from storage.models import Staff
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_staff

NOTICE = ControllerNotice(
    kind="restricted_duplicate",
    message=RESTRICTED_DUPLICATE,
    params={"staff": "UADVISOR1", "reference": "R-T0002", "restricted": "R-T0001"},
    listed={"matched": ("same e-mail", "same phone number")},
)


def test_every_active_controller_is_told_in_their_language_and_no_one_else(
    database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    with database.transaction() as session:
        add_staff(session, "UADVISOR1")
        add_staff(session, "UCONTROL1", Role.CONTROLLER)
        add_staff(session, "UCONTROL2", Role.CONTROLLER, language="en")
        gone = add_staff(session, "UCONTROL3", Role.CONTROLLER)
        session.get_one(Staff, gone.id).active = False

    tell_controllers(
        build_web_client(settings), database=database, notice=NOTICE, default_language="fi"
    )

    sent = {c.args["channel"]: c.args["text"] for c in slack_api.calls_to("chat.postMessage")}
    assert set(sent) == {"UCONTROL1", "UCONTROL2"}
    assert sent["UCONTROL2"].startswith(
        "<@UADVISOR1> saved R-T0002, which has the same e-mail, same phone number as the "
        "restricted person R-T0001."
    )
    assert "sama sähköposti, sama puhelinnumero kuin rajoitetulla henkilöllä" in sent["UCONTROL1"]


def test_a_controller_slack_refuses_is_skipped_and_logged_by_id(
    database: Database,
    slack_api: SlackWebApiDouble,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with database.transaction() as session:
        first = add_staff(session, "UCONTROL1", Role.CONTROLLER)
        add_staff(session, "UCONTROL2", Role.CONTROLLER)
    slack_api.inject("chat.postMessage", 200, error="channel_not_found")

    with caplog.at_level(logging.WARNING):
        tell_controllers(
            build_web_client(settings), database=database, notice=NOTICE, default_language="fi"
        )

    delivered = [c for c in slack_api.calls_to("chat.postMessage") if c.injected is None]
    assert [c.args["channel"] for c in delivered] == ["UCONTROL2"]
    assert f"Notice restricted_duplicate: staff {first.id} not told: channel_not_found" in (
        caplog.text
    )
    assert "R-T0001" not in caplog.text
