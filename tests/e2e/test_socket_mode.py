"""Socket Mode end to end: Slack's published envelopes in, the bot's acks out."""

from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app
from storage import staff
from storage.db import Database
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.doubles.socket_mode import SocketModeDouble, close_promptly
from tests.e2e.harness import ADMIN, make_settings


@pytest.fixture
def socket_server(slack_api: SlackWebApiDouble) -> Iterator[SocketModeDouble]:
    with SocketModeDouble() as double:
        slack_api.socket_mode_url = double.url
        yield double


@pytest.fixture
def handler(
    database: Database, slack_api: SlackWebApiDouble, socket_server: SocketModeDouble
) -> Iterator[SocketModeHandler]:
    settings = make_settings(database, slack_api, slack_app_token="xapp-1-test")
    with database.transaction() as session:
        staff.ensure_admins(session=session, slack_user_ids=settings.admin_user_ids)
    app = create_app(settings, database)
    handler = SocketModeHandler(app, settings.slack_app_token)
    handler.connect()
    yield handler
    close_promptly(handler.client)


def slash_command(socket_server: SocketModeDouble, user_id: str, text: str) -> dict:  # type: ignore[type-arg]
    envelope = socket_server.load_envelope("slash_commands")
    envelope["payload"].update(command="/rekisteri", user_id=user_id, text=text)
    socket_server.send(envelope)
    return socket_server.wait_for_ack(envelope["envelope_id"])


def test_a_slash_command_is_acked_with_the_reply(
    handler: SocketModeHandler, socket_server: SocketModeDouble
) -> None:
    ack = slash_command(socket_server, ADMIN, "tarkastus")
    assert ack["payload"]["response_type"] == "ephemeral"
    assert ack["payload"]["text"].startswith("Valitettavasti roolisi")

    ack = slash_command(socket_server, ADMIN, "henkilokunta")
    assert f"<@{ADMIN}>" in str(ack["payload"]["blocks"])


def test_a_stranger_is_refused_over_socket_mode_too(
    handler: SocketModeHandler, socket_server: SocketModeDouble
) -> None:
    ack = slash_command(socket_server, "USTRANGER", "ohje")
    assert ack["payload"]["text"].startswith("Valitettavasti vain rekisterin henkilökunta")


def test_published_events_and_interactions_are_acked(
    handler: SocketModeHandler, socket_server: SocketModeDouble, slack_api: SlackWebApiDouble
) -> None:
    for kind in ("events_api", "interactive"):
        for envelope in socket_server.load_envelopes(kind):
            socket_server.send(envelope)
            assert socket_server.wait_for_ack(envelope["envelope_id"])["envelope_id"]
    # The shortcut came from someone who is not staff: one refusal, by direct message.
    (refusal,) = slack_api.calls_to("chat.postMessage")
    assert refusal.args["channel"] == "U111"
    assert refusal.args["text"].startswith("Valitettavasti vain rekisterin henkilökunta")


def test_the_bot_reconnects_when_slack_asks(
    handler: SocketModeHandler, socket_server: SocketModeDouble
) -> None:
    socket_server.send_disconnect()
    socket_server.wait_for_connections(2)
    assert slash_command(socket_server, ADMIN, "ohje")["payload"]["response_type"] == "ephemeral"
