"""The sealer against processes: events committed by a process that dies before any sealer ran
are sealed later, each into its agency's chain, and writers and sealers in several processes at
once make one chain per agency, each counting from 1."""

import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select, text

from storage import audit
from storage.audit_sealing import SEALER_LOCK_KEY
from storage.db import Database
from storage.models import (
    THE_AGENCY,
    AuditEvent,
    AuditEventPerson,
    AuditPending,
    AuditSeal,
)
from tests.databases import CHAIN_KEY

APPEND_AND_DIE = """
import os, signal, sys
from storage import audit
from storage.db import Database

database = Database(sys.argv[1], audit_chain_key=bytes.fromhex(sys.argv[2]))
for agency in map(int, sys.argv[3:]):
    with database.transaction(agency=agency) as session:
        audit.record_many(
            session=session, actor="UKILLED", action="person.search", person_ids=[1, 2, 3]
        )
os.kill(os.getpid(), signal.SIGKILL)
"""

APPEND_AND_SEAL = """
import sys
from storage import audit
from storage.db import Database

database = Database(sys.argv[1], audit_chain_key=bytes.fromhex(sys.argv[2]))
writer, acts, agencies = sys.argv[3], int(sys.argv[4]), list(map(int, sys.argv[5:]))
for act in range(acts):
    agency = agencies[act % len(agencies)]
    with database.transaction(agency=agency) as session:
        audit.record_many(
            session=session, actor=writer, action="person.search", person_ids=[act, act + 1000]
        )
    with database.transaction(agency=agency) as session:
        audit.seal_pending(session=session)
database.dispose()
"""


def python(script: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def count(database: Database, model: type, agency: int = THE_AGENCY) -> int:
    with database.reading(agency=agency) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_events_committed_by_a_process_killed_before_sealing_are_sealed_after(
    database: Database, other_agency: int
) -> None:
    agencies = (THE_AGENCY, other_agency)
    process = python(APPEND_AND_DIE, database.url, CHAIN_KEY.hex(), *map(str, agencies))
    _, errors = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, errors.decode()
    for agency in agencies:
        assert count(database, AuditPending, agency) == 1
        assert count(database, AuditSeal, agency) == 0

    for agency in agencies:
        with database.transaction(agency=agency) as session:
            assert audit.seal_pending(session=session) == 1

    for agency in agencies:
        with database.transaction(agency=agency) as session:
            report = audit.verify_chain(session=session)
            (event,) = session.scalars(select(AuditEvent).where(AuditEvent.actor == "UKILLED"))
            persons = session.scalars(
                select(AuditEventPerson.person_id).where(AuditEventPerson.event_id == event.id)
            )
            assert sorted(persons) == [1, 2, 3] and event.agency_id == agency
            assert report.intact and report.checked == 1 and report.head is not None
            assert (report.head.event_id, report.head.seq) == (event.id, 1)


def test_writers_and_sealers_in_several_processes_make_one_chain_per_agency(
    database: Database, backend: str, other_agency: int
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: nothing runs concurrently there")
    writers, acts = 4, 40
    agencies = (THE_AGENCY, other_agency)
    processes = [
        python(
            APPEND_AND_SEAL,
            database.url,
            CHAIN_KEY.hex(),
            f"UWRITER{n}",
            str(acts),
            *map(str, agencies[n % 2 :] + agencies[: n % 2]),
        )
        for n in range(writers)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors.decode()[-2000:]

    each = writers * acts // len(agencies)
    for agency in agencies:
        with database.transaction(agency=agency) as session:
            report = audit.verify_chain(session=session)
            places = list(session.scalars(select(AuditSeal.seq).order_by(AuditSeal.seq)))
            sealed = set(session.scalars(select(AuditSeal.event_id)))
            events = set(session.scalars(select(AuditEvent.id)))

        assert report.intact and report.checked == each and report.pending == 0
        assert places == list(range(1, each + 1))
        assert sealed == events and len(events) == each


def test_an_append_never_waits_for_the_sealer_holding_the_chain(
    database: Database, backend: str, other_agency: int
) -> None:
    if backend != "postgresql":
        pytest.skip("on SQLite every writer waits for the one write lock, appends or not")
    with database.engine.connect() as sealer, sealer.begin():
        sealer.execute(
            text("SELECT pg_advisory_xact_lock(:key, :agency)"),
            {"key": SEALER_LOCK_KEY, "agency": THE_AGENCY},
        )
        # Any wait for a lock would run into the limit and fail.
        for agency in (THE_AGENCY, other_agency):
            with database.transaction(statement_timeout_ms=2000, agency=agency) as session:
                audit.record(session=session, actor="U1", action="person.view", person_id=1)
        with database.transaction(statement_timeout_ms=2000) as session:
            assert audit.seal_pending(session=session) == 0  # taken: another sealer's round
        # Another agency's sealer does not wait on this one's.
        with database.transaction(statement_timeout_ms=2000, agency=other_agency) as session:
            assert audit.seal_pending(session=session) == 1

    with database.transaction() as session:
        assert audit.seal_pending(session=session) == 1
