"""The Socket Mode double against slack_sdk's builtin client and a Bolt SocketModeHandler."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from .socket_mode import ENVELOPE_KINDS, SocketModeDouble, close_promptly

pytestmark = pytest.mark.timeout(30)

APP_TOKEN = "xapp-1-test"
AUTH_TEST = {
    "ok": True,
    "url": "https://testxyz.slack.com/",
    "team": "testxyz",
    "user": "bot",
    "team_id": "T111",
    "user_id": "U333",
    "bot_id": "B111",
    "is_enterprise_install": False,
}


class WebApiStandIn:
    """Canned Web API answers on 127.0.0.1; records (method, Authorization header) per call."""

    def __init__(self, responses: dict[str, dict[str, Any]]) -> None:
        self.calls: list[tuple[str, str]] = []
        calls = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method = self.path.removeprefix("/api/")
                calls.append((method, self.headers.get("Authorization", "")))
                answer = responses.get(method, {"ok": False, "error": "unknown_method"})
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}/api/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def methods(self) -> list[str]:
        return [method for method, _ in self.calls]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # WebClient and SocketModeClient both read these; with one set, the socket client
    # would tunnel to the double through the proxy and wrap the socket in TLS.
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def double() -> Iterator[SocketModeDouble]:
    with SocketModeDouble() as server:
        yield server


@pytest.fixture
def web_api(double: SocketModeDouble) -> Iterator[WebApiStandIn]:
    stand_in = WebApiStandIn(
        {"apps.connections.open": {"ok": True, "url": double.url}, "auth.test": AUTH_TEST}
    )
    yield stand_in
    stand_in.close()


@pytest.fixture
def received() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def client(web_api: WebApiStandIn, received: list[dict[str, Any]]) -> Iterator[SocketModeClient]:
    def record(_client: BaseSocketModeClient, message: dict[Any, Any], _raw: str | None) -> None:
        received.append(message)

    def ack(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        payload = {"type": request.type}
        client.send_socket_mode_response(SocketModeResponse(request.envelope_id, payload))

    socket_client = SocketModeClient(
        app_token=APP_TOKEN, web_client=WebClient(base_url=web_api.base_url)
    )
    socket_client.message_listeners.append(record)
    socket_client.socket_mode_request_listeners.append(ack)
    yield socket_client
    close_promptly(socket_client)


def test_load_envelope_returns_published_envelopes(double: SocketModeDouble) -> None:
    for kind in ENVELOPE_KINDS:
        envelope = double.load_envelope(kind)
        assert envelope["type"] == kind
        assert envelope["envelope_id"]
        envelope["payload"].clear()
        assert double.load_envelope(kind)["payload"]
    assert len(double.load_envelopes("events_api")) == 2
    with pytest.raises(ValueError):
        double.load_envelope("url_verification")


def test_send_and_wait_fail_fast_without_a_client() -> None:
    with SocketModeDouble(connect_timeout=0.1) as double:
        with pytest.raises(AssertionError, match="no Socket Mode client"):
            double.send(double.load_envelope("interactive"))
        with pytest.raises(AssertionError, match="no ack"):
            double.wait_for_ack("nope", timeout=0.1)


def test_builtin_client_acks_every_published_envelope(
    double: SocketModeDouble,
    web_api: WebApiStandIn,
    client: SocketModeClient,
    received: list[dict[str, Any]],
) -> None:
    client.connect()
    double.wait_for_connections(1)
    assert web_api.calls == [("apps.connections.open", f"Bearer {APP_TOKEN}")]

    for kind in ENVELOPE_KINDS:
        for envelope in double.load_envelopes(kind):
            double.send(envelope)
            ack = double.wait_for_ack(envelope["envelope_id"])
            assert ack == {"envelope_id": envelope["envelope_id"], "payload": {"type": kind}}

    assert received[0]["type"] == "hello"
    assert len(double.acks) == 4
    assert double.connections == 1


def test_builtin_client_reconnects_after_disconnect(
    double: SocketModeDouble, web_api: WebApiStandIn, client: SocketModeClient
) -> None:
    client.connect()
    double.wait_for_connections(1)

    double.send_disconnect()
    double.wait_for_connections(2)
    assert web_api.methods() == ["apps.connections.open", "apps.connections.open"]

    envelope = double.load_envelope("slash_commands")
    double.send(envelope)
    assert double.wait_for_ack(envelope["envelope_id"])["payload"] == {"type": "slash_commands"}
    assert double.connections == 2


def test_bolt_socket_mode_handler_acks_slash_command(
    double: SocketModeDouble, web_api: WebApiStandIn
) -> None:
    # token_verification_enabled=False skips auth.test at startup; Bolt still calls it
    # (through app.client) on the first request, so the client must reach the stand-in.
    # The handler reuses app.client for apps.connections.open.
    listener_executor = ThreadPoolExecutor(max_workers=2)
    app = App(
        client=WebClient(token="xoxb-test", base_url=web_api.base_url),
        token_verification_enabled=False,
        listener_executor=listener_executor,
    )

    @app.command("/hello-socket-mode")
    def hello(ack: Ack) -> None:
        ack("hi")

    handler = SocketModeHandler(app, APP_TOKEN)
    try:
        handler.connect()
        envelope = double.load_envelope("slash_commands")
        double.send(envelope)
        ack = double.wait_for_ack(envelope["envelope_id"])
    finally:
        close_promptly(handler.client)
        listener_executor.shutdown()

    assert ack["payload"] == {"text": "hi"}
    assert web_api.methods() == ["apps.connections.open", "auth.test"]
