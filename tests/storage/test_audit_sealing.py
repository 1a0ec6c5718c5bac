"""The sealer against processes: an event committed by a process that dies before any sealer
ran is sealed later, and writers and sealers in several processes at once make one chain."""

import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select, text

from storage import audit
from storage.audit_sealing import SEALER_LOCK_KEY
from storage.db import Database
from storage.models import AuditEvent, AuditEventPerson, AuditPending, AuditSeal
from tests.databases import CHAIN_KEY

APPEND_AND_DIE = """
import os, signal, sys
from storage import audit
from storage.audit_sealing import SEALER_LOCK_KEY
from storage.db import Database

database = Database(sys.argv[1], audit_chain_key=bytes.fromhex(sys.argv[2]))
with database.transaction() as session:
    audit.record_many(
        session=session, actor="UKILLED", action="person.search", person_ids=[1, 2, 3]
    )
os.kill(os.getpid(), signal.SIGKILL)
"""

APPEND_AND_SEAL = """
import sys
from storage import audit
from storage.audit_sealing import SEALER_LOCK_KEY
from storage.db import Database

database = Database(sys.argv[1], audit_chain_key=bytes.fromhex(sys.argv[2]))
writer, acts = sys.argv[3], int(sys.argv[4])
for act in range(acts):
    with database.transaction() as session:
        audit.record_many(
            session=session, actor=writer, action="person.search", person_ids=[act, act + 1000]
        )
    with database.transaction() as session:
        audit.seal_pending(session=session)
database.dispose()
"""


def python(script: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def count(database: Database, model: type) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_event_committed_by_a_process_killed_before_sealing_is_sealed_after(
    database: Database,
) -> None:
    process = python(APPEND_AND_DIE, database.url, CHAIN_KEY.hex())
    _, errors = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, errors.decode()
    assert count(database, AuditPending) == 1 and count(database, AuditSeal) == 0

    with database.transaction() as session:
        assert audit.seal_pending(session=session) == 1

    with database.transaction() as session:
        report = audit.verify_chain(session=session)
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.actor == "UKILLED"))
        persons = session.scalars(
            select(AuditEventPerson.person_id).where(AuditEventPerson.event_id == event.id)
        )
        assert sorted(persons) == [1, 2, 3]
        assert report.intact and report.checked == 1 and report.head is not None
        assert report.head.event_id == event.id


def test_writers_and_sealers_in_several_processes_make_one_chain(
    database: Database, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: nothing runs concurrently there")
    writers, acts = 4, 40
    processes = [
        python(APPEND_AND_SEAL, database.url, CHAIN_KEY.hex(), f"UWRITER{n}", str(acts))
        for n in range(writers)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors.decode()[-2000:]

    with database.transaction() as session:
        report = audit.verify_chain(session=session)
        places = list(session.scalars(select(AuditSeal.seq).order_by(AuditSeal.seq)))
        sealed = set(session.scalars(select(AuditSeal.event_id)))
        events = set(session.scalars(select(AuditEvent.id)))

    assert report.intact and report.checked == writers * acts and report.pending == 0
    assert places == list(range(1, writers * acts + 1))
    assert sealed == events and len(events) == writers * acts


def test_an_append_never_waits_for_the_sealer_holding_the_chain(
    database: Database, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("on SQLite every writer waits for the one write lock, appends or not")
    with database.engine.connect() as sealer, sealer.begin():
        sealer.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEALER_LOCK_KEY})
        # Any wait for a lock would run into the limit and fail.
        with database.transaction(statement_timeout_ms=2000) as session:
            audit.record(session=session, actor="U1", action="person.view", person_id=1)
        with database.transaction(statement_timeout_ms=2000) as session:
            assert audit.seal_pending(session=session) == 0  # taken: another sealer's round

    with database.transaction() as session:
        assert audit.seal_pending(session=session) == 1
