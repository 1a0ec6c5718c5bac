from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage import audit
from storage.models import AuditChainEpoch, AuditEvent, AuditEventPerson, AuditPending, AuditSeal
from storage.models.base import utcnow
from storage.models.enums import AuditOutcome
from tests.tampering import (
    append_plain_events,
    lift_audit_guards,
    remove_chain_epochs,
    remove_events,
    reseal_with_plain_sha256,
    seal_of,
)


def persons_of(session: Session, event: AuditEvent) -> list[int]:
    return list(
        session.scalars(
            select(AuditEventPerson.person_id)
            .where(AuditEventPerson.event_id == event.id)
            .order_by(AuditEventPerson.person_id)
        )
    )


def test_an_act_is_one_event_with_every_person_it_concerns(session: Session) -> None:
    search = audit.record_many(
        session=session, actor="U1", action="person.search", person_ids=range(10, 0, -1)
    )
    view = audit.record(session=session, actor="U1", action="person.view", person_id=7)
    nobody = audit.record(session=session, actor="U1", action="audit.verify")

    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 3
    assert persons_of(session, search) == list(range(1, 11)) and search.person_id is None
    assert persons_of(session, view) == [7] and view.person_id == 7
    assert persons_of(session, nobody) == [] and nobody.person_id is None


def test_an_event_waits_in_the_queue_until_a_sealer_seals_it(session: Session) -> None:
    event = audit.record(session=session, actor="U1", action="person.view", person_id=7)
    queued = session.scalars(select(AuditPending.event_id)).all()
    assert queued == [event.id]
    assert session.scalar(select(AuditSeal).where(AuditSeal.event_id == event.id)) is None

    assert audit.seal_pending(session=session) == 1

    assert session.scalars(select(AuditPending.event_id)).all() == []
    assert seal_of(session, event.id).previous_hash == audit.GENESIS_HASH
    assert audit.seal_pending(session=session) == 0


def test_the_database_queues_an_event_whoever_inserts_it(session: Session) -> None:
    inserted = session.execute(
        insert(AuditEvent)
        .values(at=utcnow(), actor="U1", action="person.view", outcome=AuditOutcome.ALLOWED)
        .returning(AuditEvent.id)
    ).scalar_one()

    assert session.scalars(select(AuditPending.event_id)).all() == [inserted]
    assert audit.seal_pending(session=session) == 1
    assert audit.verify_chain(session=session).intact


def test_seals_chain_each_to_the_one_before(session: Session) -> None:
    first = audit.record(
        session=session, actor="U1", action="person.view", person_id=7, purpose="advice"
    )
    second = audit.record_many(
        session=session, actor="U1", action="person.search", person_ids=[7, 8], purpose="advice"
    )
    audit.seal_pending(session=session)
    third = audit.record(session=session, actor="U1", action="person.view", person_id=8)
    audit.seal_pending(session=session)

    seals = [seal_of(session, event.id) for event in (first, second, third)]
    assert [seal.seq for seal in seals] == [1, 2, 3]
    assert seals[0].previous_hash == audit.GENESIS_HASH
    assert seals[1].previous_hash == seals[0].hash
    assert seals[2].previous_hash == seals[1].hash
    report = audit.verify_chain(session=session)
    assert report.intact and report.checked == 3 and report.pending == 0


def test_verify_seals_the_queued_events_first(session: Session) -> None:
    audit.record(session=session, actor="U1", action="person.view", person_id=1)
    audit.seal_pending(session=session)
    audit.record(session=session, actor="U1", action="person.view", person_id=2)

    assert audit.verify_chain(session=session, seal=False).checked == 1
    assert audit.verify_chain(session=session, seal=False).pending == 1
    report = audit.verify_chain(session=session)
    assert report.intact and report.checked == 2 and report.pending == 0


def consultations(session: Session, count: int) -> list[AuditEvent]:
    events = [
        audit.record(
            session=session,
            actor="U1",
            action="person.view",
            person_id=n,
            purpose="customer_service",
        )
        for n in range(1, count + 1)
    ]
    audit.seal_pending(session=session)
    return events


def test_verify_names_the_first_changed_event(session: Session) -> None:
    events = consultations(session, 4)
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == events[2].id).values(person_id=99))
    session.expire_all()

    report = audit.verify_chain(session=session)

    assert report.first_broken_id == events[2].id
    assert report.checked == 2


@pytest.mark.parametrize("change", ["another person", "one person fewer", "one person more"])
def test_a_changed_person_link_is_named(session: Session, change: str) -> None:
    before = consultations(session, 1)
    search = audit.record_many(
        session=session, actor="U1", action="person.search", person_ids=[4, 5]
    )
    audit.record(session=session, actor="U1", action="person.view", person_id=4)
    audit.seal_pending(session=session)
    lift_audit_guards(session)
    links = AuditEventPerson.__table__
    if change == "another person":
        session.execute(
            update(links)
            .where(links.c.event_id == search.id, links.c.person_id == 5)
            .values(person_id=6)
        )
    elif change == "one person fewer":
        session.execute(delete(links).where(links.c.event_id == search.id, links.c.person_id == 5))
    else:
        session.execute(insert(links).values(event_id=search.id, person_id=9))

    report = audit.verify_chain(session=session)

    assert report.first_broken_id == search.id and report.checked == len(before)


def test_a_changed_seal_is_named(session: Session) -> None:
    events = consultations(session, 3)
    lift_audit_guards(session)
    session.execute(
        update(AuditSeal).where(AuditSeal.event_id == events[1].id).values(hash="0" * 64)
    )

    assert audit.verify_chain(session=session).first_broken_id == events[1].id


def test_verify_names_a_removed_event(session: Session) -> None:
    events = consultations(session, 4)
    lift_audit_guards(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id == events[1].id))

    assert audit.verify_chain(session=session).first_broken_id == events[1].id


def test_verify_names_the_event_after_one_removed_with_its_seal(session: Session) -> None:
    events = consultations(session, 4)
    lift_audit_guards(session)
    remove_events(session, [events[1].id])

    assert audit.verify_chain(session=session).first_broken_id == events[2].id


def test_an_event_neither_sealed_nor_queued_is_named(session: Session) -> None:
    consultations(session, 2)
    slipped_in = audit.record(session=session, actor="U1", action="person.view", person_id=3)
    session.execute(delete(AuditPending))
    audit.record(session=session, actor="U1", action="person.view", person_id=4)

    report = audit.verify_chain(session=session)

    assert not report.intact and report.first_broken_id == slipped_in.id


@pytest.mark.parametrize("table", ["audit_events", "audit_seals", "audit_event_persons"])
@pytest.mark.parametrize("verb", ["UPDATE", "DELETE"])
def test_the_database_refuses_to_change_the_trail(session: Session, table: str, verb: str) -> None:
    consultations(session, 1)
    column = {"audit_events": "purpose", "audit_seals": "hash", "audit_event_persons": "person_id"}
    value = "0" if table == "audit_seals" else ("'x'" if table == "audit_events" else "2")
    statement = (
        f"UPDATE {table} SET {column[table]} = {value}"
        if verb == "UPDATE"
        else f"DELETE FROM {table}"
    )
    with pytest.raises(DBAPIError, match=f"{table} is append-only"), session.begin_nested():
        session.execute(text(statement))


@pytest.mark.parametrize("table", ["audit_events", "audit_seals", "audit_event_persons"])
def test_postgresql_refuses_truncate(session: Session, backend: str, table: str) -> None:
    if backend != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(f"TRUNCATE {table}"))


def test_a_consultation_removed_and_the_chain_resealed_with_plain_sha256_shows(
    session: Session,
) -> None:
    events = consultations(session, 5)
    lift_audit_guards(session)
    remove_events(session, [events[2].id])
    reseal_with_plain_sha256(session)
    session.expire_all()

    report = audit.verify_chain(session=session)

    assert not report.intact
    assert report.first_broken_id == events[0].id


def test_the_seal_is_keyed_so_another_key_cannot_check_it(session: Session) -> None:
    consultations(session, 2)

    report = audit.verify_chain(session=session, key=b"another made-up key, not the chain's")

    assert not report.intact
    assert report.foreign_epochs == 1 and report.unverifiable == 2


def test_a_moved_key_boundary_shows(session: Session) -> None:
    consultations(session, 3)
    last = session.scalar(select(func.max(AuditSeal.seq)))
    lift_audit_guards(session)
    session.execute(update(AuditChainEpoch).values(keyed_after_seq=last))
    reseal_with_plain_sha256(session)
    session.expire_all()

    report = audit.verify_chain(session=session)

    assert not report.intact and report.foreign_epochs == 1


def legacy_events(session: Session, count: int) -> list[AuditEvent]:
    """Events an earlier version sealed with plain SHA-256, before the key existed."""
    at = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
    rows: list[dict[str, object]] = [
        dict(
            at=at,
            actor="U1",
            action="person.view",
            person_id=n,
            purpose="customer_service",
            outcome=AuditOutcome.ALLOWED,
        )
        for n in range(1, count + 1)
    ]
    append_plain_events(session, rows)
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_events_sealed_before_the_key_are_checked_as_plain_sha256(session: Session) -> None:
    legacy = legacy_events(session, 3)

    keyed = audit.record(session=session, actor="U1", action="audit.verify")
    report = audit.verify_chain(session=session)

    assert report.intact and report.checked == 4 and report.plain == 3
    assert seal_of(session, keyed.id).previous_hash == seal_of(session, legacy[-1].id).hash
    epoch = session.scalars(select(AuditChainEpoch)).one()
    assert epoch.keyed_after_seq == legacy[-1].id


def test_a_changed_event_from_before_the_key_breaks_the_first_keyed_one(session: Session) -> None:
    legacy = legacy_events(session, 3)
    keyed = audit.record(session=session, actor="U1", action="audit.verify")
    audit.seal_pending(session=session)
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == legacy[1].id).values(purpose="x"))
    reseal_with_plain_sha256(session)
    session.expire_all()

    assert audit.verify_chain(session=session).first_broken_id == keyed.id


def test_a_seal_turned_into_a_legacy_one_is_named(session: Session) -> None:
    """A format 1 seal under the key still needs the key: marking a seal legacy gains nothing."""
    events = consultations(session, 2)
    lift_audit_guards(session)
    session.execute(update(AuditSeal).where(AuditSeal.event_id == events[1].id).values(format=1))

    assert audit.verify_chain(session=session).first_broken_id == events[1].id


def test_removing_the_newest_events_is_reported_against_the_last_anchor(session: Session) -> None:
    events = consultations(session, 5)
    anchor = audit.verify_chain(session=session).head
    assert anchor is not None
    last = seal_of(session, events[-1].id)
    assert (anchor.event_id, anchor.seq, anchor.hash, anchor.count) == (
        events[-1].id,
        last.seq,
        last.hash,
        5,
    )
    lift_audit_guards(session)
    remove_events(session, [e.id for e in events[3:]])
    session.expire_all()

    report = audit.verify_chain(session=session, anchor=anchor)

    assert not report.intact and report.first_broken_id is None
    assert report.missing is not None and report.missing.head_gone
    assert report.missing.remaining == 3 and report.missing.missing == 2


def test_epochs_removed_and_the_chain_resealed_show_against_the_anchor(session: Session) -> None:
    events = consultations(session, 3)
    anchor = audit.verify_chain(session=session).head
    lift_audit_guards(session)
    remove_events(session, [events[0].id])
    remove_chain_epochs(session)
    reseal_with_plain_sha256(session)
    session.expire_all()

    report = audit.verify_chain(session=session, anchor=anchor)

    assert not report.intact and report.first_broken_id is None
    assert report.missing is not None and report.missing.head_changed
    assert report.missing.missing == 1


def test_events_after_the_anchor_leave_the_trail_intact(session: Session) -> None:
    consultations(session, 2)
    anchor = audit.verify_chain(session=session).head
    consultations(session, 2)

    report = audit.verify_chain(session=session, anchor=anchor)

    assert report.intact and report.missing is None and report.checked == 4


def test_an_anchor_from_before_the_seals_holds_by_the_event_id(session: Session) -> None:
    legacy = legacy_events(session, 2)
    seal = seal_of(session, legacy[-1].id)
    anchor = audit.Anchor(event_id=legacy[-1].id, hash=seal.hash, count=2, at=utcnow())
    consultations(session, 1)

    assert audit.verify_chain(session=session, anchor=anchor).intact
