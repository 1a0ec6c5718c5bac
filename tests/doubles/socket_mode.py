"""A local double of Slack's Socket Mode WebSocket server.

It replays the `hello`, `disconnect` and envelope messages that Slack publishes (kept in
`tests/slack_reference/reference.json`) and records the acks the client sends back.
"""

from __future__ import annotations

import copy
import json
import threading
from types import TracebackType
from typing import Any, Self

from slack_sdk.socket_mode.builtin import SocketModeClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from tests.slack_reference import socket_mode_envelopes, socket_mode_message

ENVELOPE_KINDS = ("slash_commands", "interactive", "events_api")


def close_promptly(client: SocketModeClient) -> None:
    """`client.close()` without waiting out its message loop's one-second poll of the queue:
    marked closed first (as close() does), then woken by an empty message it skips."""
    client.closed = True
    client.message_queue.put(None)  # type: ignore[arg-type]
    client.close()


class SocketModeDouble:
    """WebSocket server on 127.0.0.1 that speaks Slack's Socket Mode protocol.

    Every new connection gets the published `hello` message. Messages sent with
    `send()` go to the newest open connection; every text message a client sends
    back is recorded as an ack.
    """

    def __init__(
        self,
        connect_timeout: float = 5.0,
        ping_interval: float | None = 0.2,
    ) -> None:
        self._hello = socket_mode_message("hello")
        self._disconnect = socket_mode_message("disconnect")
        self._connect_timeout = connect_timeout
        self._ping_interval = ping_interval
        self._cond = threading.Condition()
        self._open: list[ServerConnection] = []
        self._acks: list[dict[str, Any]] = []
        self._claimed: set[int] = set()
        self._connections = 0
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> Self:
        if self._server is not None:
            return self
        # The builtin slack_sdk client can only close or replace a connection once its
        # blocking recv() returns (3 s socket timeout); frequent pings keep that fast.
        # It never answers a close frame, hence the short close_timeout.
        self._server = serve(
            self._handle,
            "127.0.0.1",
            0,
            ping_interval=self._ping_interval,
            close_timeout=1,
        )
        port = self._server.socket.getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}/link"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="socket-mode-double", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- published data ----------------------------------------------------

    def load_envelopes(self, kind: str) -> list[dict[str, Any]]:
        """Deep copies of every published envelope of `kind`, in the order Slack's files sort."""
        if kind not in ENVELOPE_KINDS:
            raise ValueError(f"unknown envelope kind {kind!r}; expected one of {ENVELOPE_KINDS}")
        envelopes = socket_mode_envelopes(kind)
        if not envelopes:
            raise LookupError(f"the Slack reference holds no {kind} envelope")
        return envelopes

    def load_envelope(self, kind: str) -> dict[str, Any]:
        """A deep copy of the first published envelope of `kind`."""
        return self.load_envelopes(kind)[0]

    # -- talking to the client ---------------------------------------------

    @property
    def connections(self) -> int:
        """How many connections have been opened (and greeted) so far."""
        with self._cond:
            return self._connections

    @property
    def acks(self) -> list[dict[str, Any]]:
        with self._cond:
            return copy.deepcopy(self._acks)

    def wait_for_connections(self, count: int, timeout: float = 5.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._connections >= count, timeout):
                raise AssertionError(
                    f"expected {count} Socket Mode connection(s) within {timeout}s, "
                    f"got {self._connections}"
                )

    def send(self, message: dict[str, Any]) -> None:
        """Send an envelope (or any message) to the newest connected client."""
        with self._cond:
            if not self._cond.wait_for(lambda: bool(self._open), self._connect_timeout):
                raise AssertionError(
                    f"no Socket Mode client connected within {self._connect_timeout}s"
                )
            connection = self._open[-1]
        connection.send(json.dumps(message))

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        message = copy.deepcopy(self._disconnect)
        message["reason"] = reason
        self.send(message)

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The next not yet returned ack for `envelope_id`.

        Raises AssertionError when none arrives within `timeout` seconds.
        """

        def unclaimed() -> int | None:
            for index, ack in enumerate(self._acks):
                if index not in self._claimed and ack.get("envelope_id") == envelope_id:
                    return index
            return None

        with self._cond:
            self._cond.wait_for(lambda: unclaimed() is not None, timeout)
            index = unclaimed()
            if index is None:
                raise AssertionError(
                    f"no ack for envelope {envelope_id} within {timeout}s; acks: {self._acks}"
                )
            self._claimed.add(index)
            return copy.deepcopy(self._acks[index])

    # -- server side -------------------------------------------------------

    def _handle(self, connection: ServerConnection) -> None:
        try:
            connection.send(json.dumps(self._hello))
        except ConnectionClosed:
            return
        with self._cond:
            self._connections += 1
            self._open.append(connection)
            self._cond.notify_all()
        try:
            for raw in connection:
                ack = json.loads(raw)
                with self._cond:
                    self._acks.append(ack)
                    self._cond.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._cond:
                self._open.remove(connection)
                self._cond.notify_all()
