"""The whole `/asiakas` request through the HTTP endpoint, beside Bolt's own floor.

Each app runs in a web process of its own, on gunicorn as the Procfile serves it (one worker
process unless said otherwise); ten clients send signed slash commands over keep-alive
connections; the figures are the latency of each request as a client sees it (signed request
in, response out), the requests answered per second, and the largest peak resident memory
(VmHWM) of a worker. The bot is measured again with two workers: the throughput of two
against one shows whether a second core serves.
"""

import hashlib
import hmac
import http.client
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.endpoint_server import SIGNING_SECRET
from benchmarks.fill import ADVISORS
from benchmarks.search import sample_queries
from storage.db import Database
from tests.doubles.slack_web_api import SlackWebApiDouble

CLIENTS = 10
REQUESTS_PER_CLIENT = 200
TARGET_P99_RATIO = 2.0
SCALED_WORKERS = 2
TARGET_THROUGHPUT_RATIO = 1.7
APP_NAMES = {"bot": "the bot: /asiakas search", "bare": "bare Bolt app, ack only (floor)"}
PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class EndpointFigures:
    app: str
    workers: int
    clients: int
    requests: int
    p50_ms: float
    p99_ms: float
    per_second: float
    peak_memory_mb: float
    errors: int


def signed_command(text: str, user_id: str) -> tuple[bytes, dict[str, str]]:
    body = urlencode(
        {
            "token": "legacy",
            "team_id": "T0BENCH",
            "channel_id": "C0BENCH",
            "user_id": user_id,
            "command": "/asiakas",
            "text": text,
            "api_app_id": "A0BENCH",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": "1.2.bench",
        }
    ).encode()
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }
    return body, headers


class BotProcess:
    def __init__(self, kind: str, database_url: str, api_url: str, workers: int) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.endpoint_server",
                kind,
                database_url,
                api_url,
                str(workers),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=PROJECT_ROOT,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def workers(self) -> list[int]:
        task = Path(f"/proc/{self.process.pid}/task")
        return [
            int(pid)
            for thread in task.iterdir()
            for pid in (thread / "children").read_text().split()
        ]

    def peak_memory_mb(self) -> float:
        """The largest peak resident memory of one worker."""
        return max((_peak_memory_mb(pid) for pid in self.workers()), default=float("nan"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _client(
    port: int, requests: Sequence[tuple[bytes, dict[str, str]]], latencies: list[float]
) -> int:
    errors = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for body, headers in requests:
        started = time.perf_counter()
        connection.request("POST", "/slack/events", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            errors += 1
    connection.close()
    return errors


def load(
    port: int, queries: Sequence[str], user_id: str, per_client: int, clients: int = CLIENTS
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = [0] * clients

    def run(index: int) -> None:
        batch = [
            signed_command(queries[(index * per_client + n) % len(queries)], user_id)
            for n in range(per_client)
        ]
        errors[index] = _client(port, batch, latencies)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, sum(errors)


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(
    kind: str,
    database_url: str,
    queries: Sequence[str],
    user_id: str,
    per_client: int,
    *,
    workers: int = 1,
    client_counts: Sequence[int] = (1, CLIENTS),
) -> list[EndpointFigures]:
    """One client alone, then CLIENTS at once, against one web process of the app."""
    figures = []
    with SlackWebApiDouble() as slack_api:
        bot = BotProcess(kind, database_url, slack_api.base_url, workers)
        try:
            load(bot.port, queries, user_id, per_client=max(5, per_client // 10))  # warm up
            for clients in client_counts:
                started = time.perf_counter()
                latencies, errors = load(bot.port, queries, user_id, per_client, clients)
                seconds = time.perf_counter() - started
                figures.append(
                    EndpointFigures(
                        app=kind,
                        workers=workers,
                        clients=clients,
                        requests=len(latencies),
                        p50_ms=statistics.median(latencies),
                        p99_ms=percentile(latencies, 0.99),
                        per_second=len(latencies) / seconds,
                        peak_memory_mb=bot.peak_memory_mb(),
                        errors=errors,
                    )
                )
        finally:
            bot.stop()
    return figures


def run(database: Database, *, samples: int, per_client: int) -> list[EndpointFigures]:
    """The bot, then the bare app, on the same queries: one client, then CLIENTS; then the bot
    again with SCALED_WORKERS worker processes, CLIENTS at once."""
    with database.transaction() as session:
        by_kind = sample_queries(session, samples, random.Random(11))
    queries = [query for kind in by_kind.values() for query in kind]
    random.Random(13).shuffle(queries)
    figures = [
        figure
        for kind in ("bot", "bare")
        for figure in measure(kind, database.url, queries, ADVISORS[0], per_client)
    ]
    figures += measure(
        "bot",
        database.url,
        queries,
        ADVISORS[0],
        per_client,
        workers=SCALED_WORKERS,
        client_counts=(CLIENTS,),
    )
    return figures


def throughput_ratio(figures: Sequence[EndpointFigures]) -> float:
    """Requests per second of the bot with SCALED_WORKERS workers against one, CLIENTS at once."""
    under_load = {f.workers: f for f in figures if f.app == "bot" and f.clients == CLIENTS}
    return under_load[SCALED_WORKERS].per_second / under_load[1].per_second
