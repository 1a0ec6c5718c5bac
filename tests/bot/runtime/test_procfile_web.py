"""The Procfile's web process, started as the Procfile states it, with two worker processes."""

import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from string import Template

import pytest

from storage.db import Database
from tests.bot.helpers.processes import unused_port
from tests.databases import CHAIN_KEY
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import ADMIN, SIGNING_SECRET, Reply, SlackSender

ROOT = Path(__file__).resolve().parents[3]
WORKERS = 2
START_SECONDS = 60

pytestmark = pytest.mark.slow
_no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def procfile_command(process: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"the Procfile has no {process}: line")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


class WebProcess:
    """The Procfile's `web:` command, its variables filled in from the environment given."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = int(env["PORT"])
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SLACK_", "DATABASE_URL", "ADMIN_USER_IDS", "WEB_CONCURRENCY"))
        }
        environment.update(env)
        environment.update(
            PYTHONPATH=str(ROOT),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}",
        )
        # $PORT and the like, filled in as the platform's shell would.
        arguments = [
            Template(word).safe_substitute(environment)
            for word in shlex.split(procfile_command("web"))
        ]
        self.log = log
        self.process = subprocess.Popen(
            arguments, cwd=ROOT, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        request = urllib.request.Request(self.url + path, data=body, headers=headers or {})
        try:
            with _no_proxy.open(request, timeout=30) as response:
                return Reply(response.status, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read())

    def wait_until_healthy(self, workers: int) -> None:
        """Until /healthz answers and the master has forked all its workers."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if self.request("/healthz").status == 200 and len(self.workers()) == workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"not ready in {START_SECONDS} s:\n{self.log.read_text()}")

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=START_SECONDS)


@pytest.fixture
def web(database: Database, slack_api: SlackWebApiDouble, tmp_path: Path) -> Iterator[WebProcess]:
    env = {
        "PORT": str(unused_port()),
        "WEB_CONCURRENCY": str(WORKERS),
        "DATABASE_URL": database.url,
        "AUDIT_CHAIN_KEY": CHAIN_KEY.decode(),
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack_api.base_url,
        "ADMIN_USER_IDS": ADMIN,
    }
    process = WebProcess(env, tmp_path / "web.log")
    yield process
    if process.process.poll() is None:
        process.process.kill()
        process.process.wait()


def test_the_procfile_web_process_answers_from_each_of_its_workers(
    web: WebProcess, slack_api: SlackWebApiDouble
) -> None:
    web.wait_until_healthy(WORKERS)
    workers = web.workers()
    slack = SlackSender(web, response_url=slack_api.url + "/response/T0TEST/1/abc")

    answers = []
    for paused in workers:
        # A stopped worker accepts nothing: the other one must answer on its own.
        os.kill(paused, signal.SIGSTOP)
        try:
            answers.append(slack.command("/rekisteri", "ohje", user_id=ADMIN))
        finally:
            os.kill(paused, signal.SIGCONT)
    returncode = web.stop()

    assert len(workers) == WORKERS
    for reply in answers:
        assert reply.status == 200
        assert "/rekisteri tarkastus" in reply.text
    log = web.log.read_text()
    assert returncode == 0, log
    assert "Traceback" not in log


def stopped(env: dict[str, str], tmp_path: Path) -> tuple[int, str]:
    """The web process with one worker, started on `env`, until it stops by itself."""
    process = WebProcess(
        {"PORT": str(unused_port()), "WEB_CONCURRENCY": "1", **env}, tmp_path / "web.log"
    )
    try:
        returncode = process.process.wait(timeout=START_SECONDS)
    finally:
        if process.process.poll() is None:
            process.process.kill()
            process.process.wait()
    return returncode, process.log.read_text()


def test_a_malformed_database_url_stops_the_master_before_any_worker(tmp_path: Path) -> None:
    returncode, log = stopped(
        {"DATABASE_URL": "postgres://register@127.0.0.1/register", "SLACK_BOT_TOKEN": "xoxb-x"},
        tmp_path,
    )

    assert returncode != 0 and "Traceback" not in log, log
    assert "Invalid setting DATABASE_URL: postgres:// is no scheme" in log
    assert "Booting worker" not in log


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_a_database_out_of_reach_stops_the_whole_web_process_naming_the_setting(
    backend: str, slack_api: SlackWebApiDouble, tmp_path: Path
) -> None:
    url = (
        f"postgresql+psycopg://register@127.0.0.1:{unused_port()}/register"
        if backend == "postgresql"
        else f"sqlite:///{tmp_path}"
    )
    returncode, log = stopped(
        {
            "DATABASE_URL": url,
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack_api.base_url,
        },
        tmp_path,
    )

    assert returncode != 0 and "Traceback" not in log, log
    said = [line for line in log.splitlines() if line.startswith("Cannot open the database")]
    assert said and "DATABASE_URL names" in said[0] and "correct DATABASE_URL." in said[0], log


def test_a_slack_out_of_reach_stops_the_whole_web_process_naming_the_setting(
    tmp_path: Path,
) -> None:
    api_url = f"http://127.0.0.1:{unused_port()}/api/"
    returncode, log = stopped(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'register.db'}",
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api_url,
        },
        tmp_path,
    )

    assert returncode != 0 and "Traceback" not in log, log
    assert f"Cannot reach Slack's Web API at SLACK_API_URL ({api_url})" in log
