"""The audit trail's sealer in a serving process: a daemon thread that seals the events appended
since its last round (storage.audit_sealing), woken as soon as a transaction of this process
that appended events commits, and every POLL_SECONDS in any case for those of other processes.

Every serving process runs one (`python -m bot`, each web worker, the clock); only one of them
seals at a time, the others find the chain taken and leave the round to it."""

import atexit
import logging
import threading

from storage import audit
from storage.audit_sealing import BATCH, appended
from storage.db import Database

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.25
# Once woken, a sealer waits this long before its round, so that one round seals what the
# requests of that moment appended instead of one round per request.
GATHER_SECONDS = 0.1
# A sealer that found the chain taken looks again this soon: the one holding it may have
# started before this process's newest events committed.
RETRY_SECONDS = 0.05


def seal_now(database: Database) -> int:
    """Seals every queued event, in transactions of up to BATCH events; how many were sealed.
    Stops early, with events still queued, when another sealer holds the chain."""
    sealed = 0
    while True:
        with database.reading() as session:
            if not audit.has_pending(session=session):
                return sealed
        with database.transaction() as session:
            count = audit.seal_pending(session=session)
        sealed += count
        if count < BATCH:
            return sealed


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
        while not self._stopping.is_set():
            appended.wait(wait)
            if self._stopping.wait(GATHER_SECONDS):
                return
            appended.clear()
            wait = self._poll_seconds
            try:
                if seal_now(self._database) == 0 and self._still_queued():
                    wait = RETRY_SECONDS  # another sealer held the chain
            except Exception as error:  # the next round tries again; the events stay queued
                logger.warning("Sealing the audit trail failed: %s", type(error).__name__)

    def _still_queued(self) -> bool:
        with self._database.reading() as session:
            return audit.has_pending(session=session)
