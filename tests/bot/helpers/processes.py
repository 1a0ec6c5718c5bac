"""`python -m bot ARGS` run as an operator runs it: a process of its own, in a folder of the
test's, with none of the test runner's Slack or database settings; and what it must print when
it stops at start."""

import os
import pty
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# A log line: configure_logging's ("2026-12-01 01:09:39,745 WARNING name message"), or the
# console's, which reads as a note ("Note: message").
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ |Note: )")


def run_bot(
    *args: str, cwd: Path, input: str = "", at_a_terminal: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """Standard input is `input`, or with `at_a_terminal` a pseudo-terminal of its own (where
    nothing is typed); never the terminal pytest runs in."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DATABASE_URL", "DATABASE_OWNER_URL", "ADMIN_USER_IDS"))
    }
    environment.update(PYTHONPATH=str(ROOT), **env)
    primary, secondary = pty.openpty() if at_a_terminal else (None, None)
    try:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=environment,
            input=None if at_a_terminal else input,
            stdin=secondary,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        for end in (primary, secondary):
            if end is not None:
                os.close(end)


def unused_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: free to listen on, and connecting to it is
    refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def the_line_it_stopped_with(returncode: int, output: str) -> str:
    """A start-up that stops exits non-zero and says why in one line, besides its log lines,
    never with a traceback."""
    assert returncode != 0, output
    assert "Traceback" not in output, output
    said = [line for line in output.splitlines() if line.strip() and not LOG_LINE.match(line)]
    assert len(said) == 1, output
    return said[0]
