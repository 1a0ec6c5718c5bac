"""The audit trail's sealer in a serving process: a daemon thread that seals the events appended
since its last round (storage.audit_sealing), each agency's into its own chain, woken as soon
as a transaction of this process that appended events commits (and then sealing those
agencies' first), and every POLL_SECONDS in any case for those of other processes (with
many agencies, less often: sweep_seconds).

Every serving process runs one (`python -m bot`, each web worker, the clock); only one of them
extends an agency's chain at a time, the others find it taken and leave the round to it."""

import atexit
import logging
import threading
import time
from collections.abc import Collection

from storage import audit
from storage.audit_sealing import BATCH, agencies, appended, woken_agencies
from storage.db import Database

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.25
# Once woken, a sealer waits this long before its round, so that one round seals what the
# requests of that moment appended instead of one round per request.
GATHER_SECONDS = 0.1
# A sealer that found a chain taken looks again this soon: the one holding it may have
# started before this process's newest events committed.
RETRY_SECONDS = 0.05
# A sweep asks each agency whether it has events queued: with many agencies the sweeps come
# less often, so that an idle process asks at most this many a second.
SWEEP_CHECKS_PER_SECOND = 16


def seal_now(database: Database, only: Collection[int] | None = None) -> int:
    """Seals every queued event of every agency (or of the agencies `only`), each agency's in
    transactions acting for it, of up to BATCH events; how many were sealed. Leaves an agency's
    events queued when another sealer holds its chain."""
    return sum(sealed for sealed, _ in _seal_round(database, only).values())


def _seal_round(database: Database, only: Collection[int] | None) -> dict[int, tuple[int, bool]]:
    """Per agency: how many of its events were sealed, and whether another sealer held its
    chain (its events left queued)."""
    if only is None:
        with database.reading() as session:
            only = agencies(session=session)
    return {agency: _seal_agency(database, agency) for agency in sorted(only)}


def sweep_seconds(poll_seconds: float, agencies: int) -> float:
    """How long between two sweeps of every agency's queue."""
    return max(poll_seconds, agencies / SWEEP_CHECKS_PER_SECOND)


def _seal_agency(database: Database, agency: int) -> tuple[int, bool]:
    sealed = 0
    while True:
        with database.reading(agency=agency) as session:
            if not audit.has_pending(session=session):
                return sealed, False
        with database.transaction(agency=agency) as session:
            count = audit.seal_pending(session=session)
        sealed += count
        if count == 0:
            return sealed, True
        if count < BATCH:
            return sealed, False


class AuditSealer:
    def __init__(self, database: Database, *, poll_seconds: float = POLL_SECONDS) -> None:
        self._database = database
        self._poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audit-sealer", daemon=True)

    def start(self) -> "AuditSealer":
        self._thread.start()
        atexit.register(self.close)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        appended.set()
        self._thread.join(timeout)

    def close(self) -> None:
        """At the process's exit (a web worker stopped by a signal): a last round, so that a
        process stopped in good order leaves none of its events waiting."""
        if self._stopping.is_set():
            return
        self.stop()
        try:
            seal_now(self._database)
        except Exception as error:  # the next sealer of any process seals them
            logger.warning("The last sealing round failed: %s", type(error).__name__)

    def _run(self) -> None:
        wait = self._poll_seconds
        held: set[int] = set()
        swept, between_sweeps = time.monotonic(), self._poll_seconds
        while not self._stopping.is_set():
            appended.wait(wait)
            if self._stopping.wait(GATHER_SECONDS):
                return
            appended.clear()
            # The agencies this process appended to, and those whose chain another sealer
            # held; every sweep every agency, for the events of other processes.
            only: set[int] | None = woken_agencies() | held
            sweeping = time.monotonic() - swept >= between_sweeps
            if sweeping:
                only, swept = None, time.monotonic()
            try:
                round_ = _seal_round(self._database, only)
            except Exception as error:  # the next round tries again; the events stay queued
                logger.warning("Sealing the audit trail failed: %s", type(error).__name__)
                continue
            if sweeping:
                between_sweeps = sweep_seconds(self._poll_seconds, len(round_))
            held = {agency for agency, (_, taken) in round_.items() if taken}
            wait = RETRY_SECONDS if held else self._poll_seconds
