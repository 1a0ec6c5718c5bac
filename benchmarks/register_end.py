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

# The process's own code and libraries take some 100 MB; what the work holds stays under
# another 100 MB at 100,000 persons. The export streams (its peak does not grow with the
# register); the erasure notes each erased person's id for the ledger.
TARGET_PEAK_MB = 200.0
# `python -m bot ARGS`, saying its peak resident memory as it exits: the peak of its own memory
# map (VmHWM), which a fork of this big process would otherwise lend its own peak.
PEAK_SAYING_BOT = """
import atexit, runpy, sys

def say_peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("VmHWM", line.split()[1], file=sys.stderr)

atexit.register(say_peak)
sys.argv = ["bot", *sys.argv[1:]]
runpy.run_module("bot", run_name="__main__")
"""


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
    done = subprocess.run(
        [sys.executable, "-c", PEAK_SAYING_BOT, "agencies", *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"agencies {args[0]} failed: {done.stderr[-500:]}")
    peak_kb = next(
        int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("VmHWM")
    )
    return StepTiming(args[0], seconds, peak_kb / 1024, done.stdout.strip().splitlines()[-1])


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
