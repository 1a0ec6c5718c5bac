"""The real HTTP server, with requests signed as Slack signs them."""

import json
import logging
import time

import pytest

from bot.app import create_app
from bot.runtime.web import create_wsgi_app
from storage.db import Database
from tests.e2e.harness import ADMIN, RunningServer, SlackSender, signed_headers

FORM = "application/x-www-form-urlencoded"
MADE_UP_NAME = "Testi Keksitty-Henkilö"


def command_body(text: str = "ohje", user_id: str = ADMIN) -> bytes:
    return (
        f"command=%2Frekisteri&text={text}&user_id={user_id}&team_id=T0TEST&channel_id=C1".encode()
    )


def test_a_signed_command_is_answered(slack: SlackSender) -> None:
    reply = slack.command("/rekisteri", "ohje", user_id=ADMIN)
    assert reply.status == 200
    assert reply.json()["response_type"] == "ephemeral"
    assert "/rekisteri tarkastus" in json.dumps(reply.json()["blocks"])


def test_a_bad_signature_is_refused(server: RunningServer) -> None:
    body = command_body()
    headers = {**signed_headers(body), "X-Slack-Signature": "v0=" + "0" * 64, "Content-Type": FORM}
    assert server.request("/slack/events", body=body, headers=headers).status == 401


def test_a_timestamp_301_seconds_old_is_refused(server: RunningServer) -> None:
    body = command_body()
    headers = {**signed_headers(body, timestamp=str(int(time.time()) - 301)), "Content-Type": FORM}
    assert server.request("/slack/events", body=body, headers=headers).status == 401


@pytest.mark.parametrize("timestamp", [None, "", "yesterday", "12.5"])
def test_a_missing_or_malformed_timestamp_is_refused_not_an_error(
    server: RunningServer, timestamp: str | None
) -> None:
    body = command_body()
    headers = signed_headers(body)
    headers["Content-Type"] = FORM
    if timestamp is None:
        del headers["X-Slack-Request-Timestamp"]
    else:
        headers["X-Slack-Request-Timestamp"] = timestamp
    assert server.request("/slack/events", body=body, headers=headers).status == 401


def test_url_verification_echoes_the_challenge(slack: SlackSender) -> None:
    body = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    reply = slack.post(body, "application/json")
    assert reply.status == 200
    assert reply.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_a_refused_body_never_reaches_the_log(
    server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = command_body(text=MADE_UP_NAME.replace(" ", "+"))
    headers = {**signed_headers(body), "X-Slack-Signature": "v0=" + "1" * 64, "Content-Type": FORM}

    assert server.request("/slack/events", body=body, headers=headers).status == 401
    assert "invalid signature" in caplog.text
    assert "Keksitty" not in caplog.text and "Testi" not in caplog.text


def test_healthz_reports_the_database(server: RunningServer, settings, database: Database) -> None:  # type: ignore[no-untyped-def]
    assert server.request("/healthz").status == 200
    assert server.request("/slack/events").status == 405
    assert server.request("/elsewhere").status == 404

    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    broken = RunningServer(create_wsgi_app(create_app(settings, database), unreachable))
    try:
        reply = broken.request("/healthz")
        assert reply.status == 503 and reply.json()["status"] == "database unreachable"
    finally:
        broken.close()


def test_one_workspace_serves_no_install_pages(server: RunningServer) -> None:
    for path in ("/slack/install", "/slack/oauth_redirect"):
        assert server.request(path).status == 404
