"""The whole `/asiakas` request through the HTTP endpoint, beside Bolt's own floor.

Each app runs in a web process of its own, on gunicorn as the Procfile serves it (one worker
process unless said otherwise); ten clients send signed slash commands from one thread that
waits on all of them (benchmarks.load), the bot's and the bare app's alike; the figures are the
latency of each request as a client sees it (signed request in, response out), the requests
answered per second, and the largest peak resident memory (VmHWM) of a worker.

The latency is measured on connections kept alive. Whether a second core serves is measured
as the web process is reached behind a proxy (Heroku's router, nginx): a new connection for
each request, so that each is taken by a worker free to take it; the throughput of two workers
against one, both measured that way. With ten kept-alive connections, the worker that accepted
them serves them all: that row is printed too. The search's own time, on the same queries in
this process, is what one client alone is held against.
"""

import hashlib
import hmac
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import load as load_generator
from benchmarks.endpoint_server import SIGNING_SECRET
from benchmarks.fill import ADVISORS
from benchmarks.search import sample_queries
from storage.db import Database
from storage.models.enums import Purpose
from storage.search import search_persons
from storage.staff import StaffMember, find
from tests.doubles.slack_web_api import SlackWebApiDouble

CLIENTS = 10
REQUESTS_PER_CLIENT = 200
# The bot's p99 with CLIENTS at once, at most this many times the bare app's.
TARGET_P99_RATIO = 5.0
# One client alone: the bot's p50 at most the search's own p50 plus this.
TARGET_OVER_SEARCH_MS = 2.0
TARGET_PEAK_MEMORY_MB = 150.0
SCALED_WORKERS = 2
TARGET_THROUGHPUT_RATIO = 1.7
APP_NAMES = {"bot": "the bot: /asiakas search", "bare": "bare Bolt app, ack only (floor)"}
PROJECT_ROOT = Path(__file__).resolve().parents[1]


KEPT, NEW = "kept", "new"  # connections kept alive, or a new one for each request


@dataclass(frozen=True)
class EndpointFigures:
    app: str
    workers: int
    clients: int
    connections: str  # KEPT or NEW
    requests: int
    p50_ms: float
    p99_ms: float
    per_second: float
    peak_memory_mb: float
    errors: int
    client_cpu_ms: float  # the load generator's CPU time per request
    server_cpu_ms: float  # the workers' CPU time per request
    cores_busy: float  # the workers' CPU time over the run's wall time: 2.0 is both cores
    database_cpu_ms: float  # the PostgreSQL server's CPU time per request (0 on SQLite)


@dataclass(frozen=True)
class EndpointRun:
    figures: list[EndpointFigures]
    search_p50_ms: float  # search_persons alone, in this process, on the same queries

    def figure(
        self, app: str, *, clients: int, workers: int = 1, connections: str = KEPT
    ) -> EndpointFigures:
        wanted = (app, clients, workers, connections)
        return next(
            f for f in self.figures if (f.app, f.clients, f.workers, f.connections) == wanted
        )

    @property
    def p99_ratio(self) -> float:
        """The bot's p99 against the bare app's, CLIENTS at once, one worker each."""
        return (
            self.figure("bot", clients=CLIENTS).p99_ms / self.figure("bare", clients=CLIENTS).p99_ms
        )

    @property
    def over_search_ms(self) -> float:
        """What one client alone waits beyond the search's own time (p50 against p50)."""
        return self.figure("bot", clients=1).p50_ms - self.search_p50_ms

    def throughput_ratio(self, app: str = "bot") -> float:
        """Requests per second with SCALED_WORKERS workers against one, CLIENTS at once, each
        request on a new connection. The bare app's is what the machine gave a second worker
        at the time: it holds no lock."""
        scaled = self.figure(app, clients=CLIENTS, workers=SCALED_WORKERS, connections=NEW)
        return scaled.per_second / self.figure(app, clients=CLIENTS, connections=NEW).per_second

    @property
    def peak_memory_mb(self) -> float:
        """The largest peak of any worker of the bot."""
        return max(f.peak_memory_mb for f in self.figures if f.app == "bot")


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

    def cpu_seconds(self) -> float:
        """The CPU time (user and system) the workers have used so far."""
        return sum(_cpu_seconds(pid) for pid in self.workers())

    def peak_memory_mb(self) -> float:
        """The largest peak resident memory of one worker."""
        return max((_peak_memory_mb(pid) for pid in self.workers()), default=float("nan"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    user, system = int(fields[11]), int(fields[12])  # utime and stime, in clock ticks
    return (user + system) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """The CPU time of this machine's PostgreSQL server processes so far (those still running:
    a connection's backend lives as long as the pool that opened it)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended meanwhile
        if "(postgres)" in text:
            total += _cpu_seconds(int(stat.parent.name))
    return total


def _peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(
    port: int,
    queries: Sequence[str],
    user_id: str,
    per_client: int,
    clients: int = CLIENTS,
    connections: str = KEPT,
) -> load_generator.Load:
    """`clients` at once, each sending `per_client` searches signed just before."""
    keep_alive = connections == KEPT
    batches = [
        [
            load_generator.raw_post(
                "/slack/events",
                *signed_command(queries[(index * per_client + n) % len(queries)], user_id),
                keep_alive=keep_alive,
            )
            for n in range(per_client)
        ]
        for index in range(clients)
    ]
    return load_generator.run(port, batches, keep_alive=keep_alive)


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
    runs: Sequence[tuple[int, str]] = ((1, KEPT), (CLIENTS, KEPT), (CLIENTS, NEW)),
) -> list[EndpointFigures]:
    """Each run (how many clients, on which connections) against one web process of the app."""
    figures = []
    with SlackWebApiDouble() as slack_api:
        bot = BotProcess(kind, database_url, slack_api.base_url, workers)
        try:
            load(bot.port, queries, user_id, per_client=max(5, per_client // 10))  # warm up
            for clients, connections in runs:
                cpu_before, database_before = bot.cpu_seconds(), database_cpu_seconds()
                done = load(bot.port, queries, user_id, per_client, clients, connections)
                server_cpu = bot.cpu_seconds() - cpu_before
                database_cpu = database_cpu_seconds() - database_before
                figures.append(
                    EndpointFigures(
                        app=kind,
                        workers=workers,
                        clients=clients,
                        connections=connections,
                        requests=len(done.latencies_ms),
                        p50_ms=statistics.median(done.latencies_ms),
                        p99_ms=percentile(done.latencies_ms, 0.99),
                        per_second=done.per_second,
                        peak_memory_mb=bot.peak_memory_mb(),
                        errors=done.errors,
                        client_cpu_ms=done.client_cpu_seconds * 1000 / len(done.latencies_ms),
                        server_cpu_ms=server_cpu * 1000 / len(done.latencies_ms),
                        cores_busy=server_cpu / done.seconds,
                        database_cpu_ms=database_cpu * 1000 / len(done.latencies_ms),
                    )
                )
        finally:
            bot.stop()
    return figures


def run(database: Database, *, samples: int, per_client: int) -> EndpointRun:
    """The bot, then the bare app, on the same queries: one client, then CLIENTS on kept and on
    new connections; then both again with SCALED_WORKERS worker processes, CLIENTS at once;
    and the search alone."""
    with database.transaction() as session:
        by_kind = sample_queries(session, samples, random.Random(11))
        viewer = find(session=session, slack_user_id=ADVISORS[0])
    assert viewer is not None
    queries = [query for kind in by_kind.values() for query in kind]
    random.Random(13).shuffle(queries)
    figures = [
        figure
        for kind in ("bot", "bare")
        for figure in measure(kind, database.url, queries, ADVISORS[0], per_client)
    ]
    figures += [
        figure
        for kind in ("bot", "bare")
        for figure in measure(
            kind,
            database.url,
            queries,
            ADVISORS[0],
            per_client,
            workers=SCALED_WORKERS,
            runs=((CLIENTS, KEPT), (CLIENTS, NEW)),
        )
    ]
    return EndpointRun(figures, search_p50_ms(database, viewer, queries[:per_client]))


def search_p50_ms(database: Database, viewer: StaffMember, queries: Sequence[str]) -> float:
    """search_persons alone (its audit rows included, then rolled back), as the search
    benchmark times it, on the queries one client sends."""
    durations = []
    for query in [*queries[: len(queries) // 10], *queries]:  # the first tenth warms up
        with database.sessions() as session:
            started = time.perf_counter()
            search_persons(
                session=session, viewer=viewer, query=query, purpose=Purpose.CUSTOMER_SERVICE
            )
            durations.append((time.perf_counter() - started) * 1000)
            session.rollback()
    return statistics.median(durations[len(queries) // 10 :])
