"""A load generator that costs the server under test as little CPU as it can: every request is
built (and signed) before the clock starts, and one thread waits on all the clients at once.
On two cores, ten client threads of http.client took a good part of a core from the server
they measured.

Each client sends its next request as soon as the answer to its last one is in. A client
either keeps one connection alive for all its requests (connected before the clock starts), or
opens a new one for each, as a proxy in front of the web process does (Heroku's router, nginx
by default); then the connection is part of the request's time. A request's latency is from
its first byte sent (or its connection's start) to its answer's last byte read.
"""

import selectors
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

HEADER_END = b"\r\n\r\n"
ANSWER_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Load:
    latencies_ms: list[float]
    errors: int
    seconds: float
    client_cpu_seconds: float  # what generating the load cost this process

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds


def raw_post(path: str, body: bytes, headers: dict[str, str], *, keep_alive: bool = True) -> bytes:
    """One HTTP/1.1 POST as it goes on the wire, on a connection kept alive or closed after."""
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    if not keep_alive:
        lines.append("Connection: close")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _connect(port: int) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=ANSWER_TIMEOUT_SECONDS)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


@dataclass
class _Client:
    requests: Sequence[bytes]
    connection: socket.socket | None = None
    sent: int = 0
    started: float = 0.0
    buffer: bytearray = field(default_factory=bytearray)

    def send_next(self, port: int, selector: selectors.BaseSelector) -> None:
        self.buffer.clear()
        self.started = time.perf_counter()
        if self.connection is None:
            self.connection = _connect(port)
            selector.register(self.connection, selectors.EVENT_READ, self)
        self.connection.sendall(self.requests[self.sent])
        self.sent += 1

    def hang_up(self, selector: selectors.BaseSelector) -> None:
        if self.connection is not None:
            selector.unregister(self.connection)
            self.connection.close()
            self.connection = None

    def answer(self) -> tuple[int, int] | None:
        """(status, length of the answer) once the whole answer is in the buffer."""
        head_end = self.buffer.find(HEADER_END)
        if head_end < 0:
            return None
        head = bytes(self.buffer[:head_end]).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in head[1:])
        }
        body_start = head_end + len(HEADER_END)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            end = _chunked_end(self.buffer, body_start)
            return None if end is None else (status, end)
        length = body_start + int(headers.get("content-length", "0"))
        return (status, length) if len(self.buffer) >= length else None


def _chunked_end(buffer: bytearray, at: int) -> int | None:
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
        at = line_end + 2 + size + 2
        if size == 0:
            return at if len(buffer) >= at else None
        if len(buffer) < at:
            return None


def run(
    port: int, requests_per_client: Sequence[Sequence[bytes]], *, keep_alive: bool = True
) -> Load:
    """Every client's requests, one after the other, all clients at once: on one connection
    each, or on a new connection for each request."""
    selector = selectors.DefaultSelector()
    clients = [_Client(requests) for requests in requests_per_client if requests]
    if keep_alive:
        for client in clients:
            client.connection = _connect(port)
            selector.register(client.connection, selectors.EVENT_READ, client)
    latencies: list[float] = []
    errors = 0
    cpu_started, started = time.process_time(), time.perf_counter()
    for client in clients:
        client.send_next(port, selector)
    waiting = len(clients)
    try:
        while waiting:
            ready = selector.select(timeout=ANSWER_TIMEOUT_SECONDS)
            if not ready:
                raise TimeoutError("no answer within the timeout")
            for key, _ in ready:
                client = key.data
                assert client.connection is not None
                chunk = client.connection.recv(65536)
                if not chunk:
                    raise ConnectionError("the server closed a connection before its answer")
                client.buffer += chunk
                answer = client.answer()
                if answer is None:
                    continue
                latencies.append((time.perf_counter() - client.started) * 1000)
                errors += answer[0] != 200
                if not keep_alive:
                    client.hang_up(selector)
                if client.sent < len(client.requests):
                    client.send_next(port, selector)
                else:
                    client.hang_up(selector)
                    waiting -= 1
    finally:
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        for client in clients:
            if client.connection is not None:
                client.connection.close()
        selector.close()
    return Load(latencies, errors, seconds, cpu_seconds)
