"""Drives the bot as Slack does: signed requests into the real HTTP server, or straight into
the App's dispatch in process where the HTTP layer adds nothing to what a test checks."""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import waitress
from slack_bolt import App
from slack_bolt.request import BoltRequest
from waitress.server import BaseWSGIServer

from bot.runtime.settings import Settings
from bot.runtime.web import WsgiApp
from storage.db import Database
from tests.doubles.slack_web_api import SlackWebApiDouble

SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0TEST"
STAFF_CHANNEL = "C0STAFF"
ADMIN = "UADMIN01"
# Longer than any test's request on a loaded machine: Slack gets the listener's own answer, as
# it does in production within 2 s. tests/e2e/test_stalls.py tries the late answer.
ACK_BUDGET = 30.0

_no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_event_numbers = itertools.count(1)


def signature(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, *, timestamp: str | None = None) -> dict[str, str]:
    timestamp = timestamp or str(int(time.time()))
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(body, timestamp),
    }


def make_settings(
    database: Database, slack_api: SlackWebApiDouble, **overrides: object
) -> Settings:
    values: dict[str, object] = dict(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.base_url,
        database_url=database.url,
        admin_user_ids=(ADMIN,),
        default_language="fi",
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


def many_workspaces_settings(database: Database, slack_api: SlackWebApiDouble) -> Settings:
    """A deployment for many workspaces: installed by OAuth, with no bot token or admins of
    its own."""
    return make_settings(
        database,
        slack_api,
        slack_bot_token=None,
        admin_user_ids=(),
        slack_client_id="1234.5678",
        slack_client_secret="client-secret-of-the-test",
        slack_state_secret="state-secret-of-the-test",
    )


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


class RunningServer:
    """A WSGI app on the production server, on a free loopback port, in a thread."""

    def __init__(self, wsgi_app: WsgiApp) -> None:
        self.server: BaseWSGIServer = waitress.create_server(
            wsgi_app, host="127.0.0.1", port=0, threads=4, ident="test"
        )  # type: ignore[assignment]
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        # Closed from its own thread between polls, so no poll sees a closed socket.
        while not self._stopping.is_set():
            self.server.asyncore.loop(timeout=0.05, map=self.server._map, count=1)  # type: ignore[attr-defined]
        self.server.close()

    def close(self) -> None:
        self._stopping.set()
        self.thread.join(timeout=5)

    def request(
        self, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        request = urllib.request.Request(self.url + path, data=body, headers=headers or {})
        try:
            with _no_proxy.open(request, timeout=15) as response:
                return Reply(response.status, response.read(), dict(response.headers.items()))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read(), dict(error.headers.items()))


class InProcessServer:
    """The App's dispatch, called in the test's thread with what the HTTP endpoint would hand
    it: the same signed body and headers, the same answer, without a server between."""

    def __init__(self, app: App) -> None:
        self.app = app

    def request(
        self, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        assert path == "/slack/events", path
        request = BoltRequest(
            body=(body or b"").decode(),
            headers={name.lower(): [value] for name, value in (headers or {}).items()},
        )
        response = self.app.dispatch(request)
        return Reply(response.status, response.body.encode())


class SlackSender:
    """What Slack sends: slash commands, interactions and events, signed."""

    def __init__(
        self,
        server: RunningServer | InProcessServer,
        response_url: str = "",
        *,
        team_id: str = TEAM_ID,
    ) -> None:
        self.server = server
        self.response_url = response_url
        self.team_id = team_id
        self._trigger = 0

    def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> Reply:
        all_headers = {"Content-Type": content_type, **signed_headers(body), **(headers or {})}
        return self.server.request("/slack/events", body=body, headers=all_headers)

    def trigger_id(self) -> str:
        self._trigger += 1
        return f"{int(time.time())}.{self._trigger}.abc{self._trigger}"

    def command(self, command: str, text: str = "", *, user_id: str) -> Reply:
        fields = {
            "token": "legacy",
            "team_id": self.team_id,
            "team_domain": "agency",
            "channel_id": STAFF_CHANNEL,
            "channel_name": "staff",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0TEST",
            "is_enterprise_install": "false",
            "response_url": self.response_url,
            "trigger_id": self.trigger_id(),
        }
        return self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """An event in its envelope; Slack's retry of it has the same `event_id`."""
        envelope = {
            "token": "legacy",
            "team_id": self.team_id,
            "api_app_id": "A0TEST",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{int(time.time())}{next(_event_numbers):06d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": self.team_id, "user_id": "UBOT", "is_bot": True}],
        }
        return self.post(json.dumps(envelope).encode(), "application/json", headers)

    def interaction(self, payload: dict[str, Any]) -> Reply:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, "application/x-www-form-urlencoded")


def opened_view(slack_api: SlackWebApiDouble, method: str = "views.open") -> dict[str, Any]:
    """The last view opened (or pushed, updated, published), as Slack holds it after the call:
    with its id, hash and block ids."""
    call = slack_api.calls_to(method)[-1]
    assert call.response is not None and call.response["ok"], call.response
    view: dict[str, Any] = call.response["view"]
    return view
