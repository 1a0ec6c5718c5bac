"""Notices to the register's contact persons: put in the outbox with the act they tell of,
delivered to every active controller in their own language; one Slack refuses is skipped and
logged by id, and an outage delays a notice without losing it."""

import logging
from datetime import timedelta

import pytest

from bot.customers.bulk_lookups import bulk_lookup_notice
from bot.customers.form import RESTRICTED_DUPLICATE
from bot.outbox.setup import deliver_after_commits
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from bot.slack.controller_notices import ControllerNotice, tell_controllers
from bot.slack.i18n import translator
from storage.bulk_lookups import BulkLookup
from storage.db import Database
from storage.models import Staff
from storage.models.enums import Role
from tests.bot.helpers.outbox import NOW, deliverer
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_staff

NOTICE = ControllerNotice(
    kind="restricted_duplicate",
    key="restricted-duplicate:R-T0002:R-T0001",
    message=RESTRICTED_DUPLICATE,
    params={"staff": "UADVISOR1", "reference": "R-T0002", "restricted": "R-T0001"},
    listed={"matched": ("same e-mail", "same phone number")},
)


def delivered(slack_api: SlackWebApiDouble) -> dict[str, str]:
    return {
        call.args["channel"]: call.args["text"]
        for call in slack_api.calls_to("chat.postMessage")
        if call.injected is None
    }


def test_every_active_controller_is_told_in_their_language_and_no_one_else(
    database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    deliver_after_commits(database, build_web_client(settings), settings)
    with database.transaction() as session:
        add_staff(session, "UADVISOR1")
        add_staff(session, "UCONTROL1", Role.CONTROLLER)
        add_staff(session, "UCONTROL2", Role.CONTROLLER, language="en")
        gone = add_staff(session, "UCONTROL3", Role.CONTROLLER)
        session.get_one(Staff, gone.id).active = False

    with database.transaction() as session:
        assert tell_controllers(session=session, notice=NOTICE) == 2

    sent = delivered(slack_api)
    assert set(sent) == {"UCONTROL1", "UCONTROL2"}
    assert sent["UCONTROL2"].startswith(
        "<@UADVISOR1> saved R-T0002, which has the same e-mail, same phone number as the "
        "restricted person R-T0001."
    )
    assert "sama sähköposti, sama puhelinnumero kuin rajoitetulla henkilöllä" in sent["UCONTROL1"]


def test_the_same_act_told_again_reaches_each_controller_once(
    database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    deliver_after_commits(database, build_web_client(settings), settings)
    with database.transaction() as session:
        add_staff(session, "UCONTROL1", Role.CONTROLLER)

    for _ in range(2):
        with database.transaction() as session:
            tell_controllers(session=session, notice=NOTICE)

    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_a_notice_rolled_back_with_its_act_is_never_told(
    database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    deliver_after_commits(database, build_web_client(settings), settings)
    with database.transaction() as session:
        add_staff(session, "UCONTROL1", Role.CONTROLLER)

    with pytest.raises(RuntimeError), database.transaction() as session:
        tell_controllers(session=session, notice=NOTICE)
        raise RuntimeError("the act failed")
    deliverer(database, settings).deliver_due(NOW)

    assert slack_api.calls_to("chat.postMessage") == []


def test_a_notice_slack_could_not_take_goes_once_slack_is_back(
    database: Database, slack_api: SlackWebApiDouble, settings: Settings
) -> None:
    deliver_after_commits(database, build_web_client(settings), settings)
    with database.transaction() as session:
        add_staff(session, "UCONTROL1", Role.CONTROLLER)
    slack_api.inject("chat.postMessage", 503, times=5)

    with database.transaction() as session:
        tell_controllers(session=session, notice=NOTICE)
    assert delivered(slack_api) == {}
    slack_api.clear_faults()
    deliverer(database, settings).deliver_due(NOW)

    assert list(delivered(slack_api)) == ["UCONTROL1"]


def test_a_controller_slack_refuses_is_skipped_and_logged_by_id(
    database: Database,
    slack_api: SlackWebApiDouble,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    deliver_after_commits(database, build_web_client(settings), settings)
    with database.transaction() as session:
        add_staff(session, "UCONTROL1", Role.CONTROLLER)
        add_staff(session, "UCONTROL2", Role.CONTROLLER)
    slack_api.inject("chat.postMessage", 200, error="channel_not_found")

    with caplog.at_level(logging.WARNING), database.transaction() as session:
        tell_controllers(session=session, notice=NOTICE)

    assert list(delivered(slack_api)) == ["UCONTROL2"]
    assert "controller_notice) to UCONTROL1 refused by Slack: channel_not_found" in caplog.text
    assert "R-T0001" not in caplog.text


def test_a_bulk_look_up_notice_counts_its_cards_in_either_language() -> None:
    def notice(cards: int) -> ControllerNotice:
        found = BulkLookup("UADVISOR1", cards, timedelta(minutes=1), report_id=7)
        return ControllerNotice.of_params(bulk_lookup_notice(found).as_params())

    assert (
        notice(1)
        .text(translator("en"))
        .startswith("<@UADVISOR1> opened 1 person card within 1 min.")
    )
    assert (
        notice(2)
        .text(translator("en"))
        .startswith("<@UADVISOR1> opened 2 person cards within 1 min.")
    )
    assert notice(1).text(translator("fi")).startswith("<@UADVISOR1> avasi 1 henkilökortin ")
    assert notice(2).text(translator("fi")).startswith("<@UADVISOR1> avasi 2 henkilökorttia ")
