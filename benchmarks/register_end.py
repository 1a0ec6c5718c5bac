"""The end of an agency's service on a filled register: `python -m bot agencies export` and then
`erase`, each run as the operator runs it (a process of its own), timed, with the process's peak
resident memory (the archive and the erasure must stream, not hold the register) and the
archive's size."""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.fill import CHAIN_KEY
from storage.db import Database
from storage.models import Person

# A worker's budget (benchmarks.endpoint): the operator's commands keep within it too.
TARGET_PEAK_MB = 150.0


@dataclass(frozen=True)
class StepTiming:
    step: str
    seconds: float
    peak_mb: float  # the process's peak resident memory
    said: str  # the command's last line

    @property
    def within_target(self) -> bool:
        return self.peak_mb < TARGET_PEAK_MB


def _run(database: Database, ledger: Path, *args: str) -> StepTiming:
    environment = {
        **os.environ,
        "DATABASE_URL": database.url,
        "AUDIT_CHAIN_KEY": CHAIN_KEY.decode(),
        "ERASURE_LEDGER_PATH": str(ledger),
        "LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "agencies", *args],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out = (process.stdout.read() if process.stdout else "").strip()
    err = (process.stderr.read() if process.stderr else "").strip()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"agencies {args[0]} failed: {err[-500:]}")
    return StepTiming(args[0], seconds, usage.ru_maxrss / 1024, out.splitlines()[-1])


@dataclass(frozen=True)
class RegisterEnd:
    export: StepTiming
    erase: StepTiming
    archive_mb: float
    ledger_lines: int  # the erasure ledger's, after the erasure


def run(database: Database, *, ledger: Path, folder: Path) -> RegisterEnd:
    """Exports agency 1's register to a file in `folder`, then erases it (the database is a
    copy of its own: benchmarks.cache)."""
    archive = folder / "register.zip"
    exported = _run(database, ledger, "export", "1", str(archive))
    erased = _run(database, ledger, "erase", "1", "--confirm", "1")
    with database.reading() as session:
        left = session.scalar(select(func.count()).select_from(Person))
    if left:
        raise RuntimeError(f"{left} persons left after the erasure")
    return RegisterEnd(
        export=exported,
        erase=erased,
        archive_mb=archive.stat().st_size / 1_000_000,
        ledger_lines=sum(1 for _ in ledger.open()) if ledger.exists() else 0,
    )
