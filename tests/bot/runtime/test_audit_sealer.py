"""The serving processes' sealer thread, and sealing by hand."""

import time

from sqlalchemy import select

from bot.runtime.audit_sealer import POLL_SECONDS, AuditSealer, seal_now, sweep_seconds
from storage import audit
from storage.db import Database
from storage.models import THE_AGENCY, AuditSeal


def place(database: Database, event_id: int, agency: int = THE_AGENCY) -> int | None:
    with database.reading(agency=agency) as session:
        return session.scalar(select(AuditSeal.seq).where(AuditSeal.event_id == event_id))


def sealed(database: Database, event_id: int, agency: int = THE_AGENCY) -> bool:
    return place(database, event_id, agency) is not None


def append(database: Database, person_id: int, agency: int = THE_AGENCY) -> int:
    with database.transaction(agency=agency) as session:
        return audit.record(
            session=session, actor="U1", action="person.view", person_id=person_id
        ).id


def test_a_commit_that_appended_wakes_the_sealer_of_its_process(database: Database) -> None:
    # A poll far longer than the wait below: only the wake-up can seal in time.
    sealer = AuditSealer(database, poll_seconds=600).start()
    try:
        time.sleep(0.2)  # past the sealer's first round
        event_id = append(database, 1)
        deadline = time.monotonic() + 30
        while not sealed(database, event_id) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sealed(database, event_id)
    finally:
        sealer.stop()


def test_seal_now_seals_every_queued_event(database: Database) -> None:
    events = [append(database, n) for n in range(3)]

    assert seal_now(database) == 3
    assert all(sealed(database, event_id) for event_id in events)
    assert seal_now(database) == 0


def test_seal_now_seals_each_agency_into_its_own_chain(
    database: Database, other_agency: int
) -> None:
    ours = [append(database, n) for n in range(2)]
    theirs = [append(database, n, other_agency) for n in range(3)]

    assert seal_now(database) == 5

    assert [place(database, event_id) for event_id in ours] == [1, 2]
    assert [place(database, event_id, other_agency) for event_id in theirs] == [1, 2, 3]


def test_the_sealer_seals_the_agency_a_commit_appended_to(
    database: Database, other_agency: int
) -> None:
    sealer = AuditSealer(database, poll_seconds=600).start()
    try:
        time.sleep(0.2)
        event_id = append(database, 1, other_agency)
        deadline = time.monotonic() + 30
        while not sealed(database, event_id, other_agency) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert place(database, event_id, other_agency) == 1
    finally:
        sealer.stop()


def test_with_thirty_agencies_an_idle_sealer_asks_sixteen_queues_a_second_at_most() -> None:
    assert sweep_seconds(POLL_SECONDS, 1) == POLL_SECONDS
    assert sweep_seconds(POLL_SECONDS, 4) == POLL_SECONDS
    assert 30 / sweep_seconds(POLL_SECONDS, 30) == 16
