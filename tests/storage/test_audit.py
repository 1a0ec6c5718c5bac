from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage import audit
from storage.models import AuditChainEpoch, AuditEvent
from storage.models.enums import AuditOutcome
from tests.tampering import (
    append_plain_events,
    lift_audit_guards,
    remove_chain_epochs,
    reseal_with_plain_sha256,
)


def test_events_chain_each_to_the_one_before(session: Session) -> None:
    first = audit.record(
        session=session, actor="U1", action="person.view", person_id=7, purpose="advice"
    )
    second, third = audit.record_many(
        session=session, actor="U1", action="person.search", person_ids=[7, 8], purpose="advice"
    )
    assert first.previous_hash == audit.GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    report = audit.verify_chain(session=session)
    assert report.intact and report.checked == 3


def test_verify_names_the_first_changed_row(session: Session) -> None:
    events = [
        audit.record(session=session, actor="U1", action="person.view", person_id=n)
        for n in range(1, 5)
    ]
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == events[2].id).values(person_id=99))
    session.expire_all()

    report = audit.verify_chain(session=session)

    assert report.first_broken_id == events[2].id
    assert report.checked == 2


def test_verify_names_the_row_after_a_removed_one(session: Session) -> None:
    events = [audit.record(session=session, actor="U1", action="a", person_id=n) for n in range(4)]
    lift_audit_guards(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id == events[1].id))
    session.expire_all()

    assert audit.verify_chain(session=session).first_broken_id == events[2].id


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(outcome=AuditOutcome.DENIED),
        delete(AuditEvent),
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_the_trail(session: Session, statement: object) -> None:
    audit.record(session=session, actor="U1", action="person.view", person_id=1)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(statement)  # type: ignore[call-overload]


def test_postgresql_refuses_truncate(session: Session, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("TRUNCATE audit_events"))


def consultations(session: Session, count: int) -> list[AuditEvent]:
    return [
        audit.record(
            session=session,
            actor="U1",
            action="person.view",
            person_id=n,
            purpose="customer_service",
        )
        for n in range(1, count + 1)
    ]


def test_a_consultation_removed_and_the_chain_resealed_with_plain_sha256_shows(
    session: Session,
) -> None:
    events = consultations(session, 5)
    lift_audit_guards(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id == events[2].id))
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
    events = consultations(session, 3)
    lift_audit_guards(session)
    session.execute(update(AuditChainEpoch).values(keyed_after_id=events[-1].id))
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
    assert keyed.previous_hash == legacy[-1].hash
    epoch = session.scalars(select(AuditChainEpoch)).one()
    assert epoch.keyed_after_id == legacy[-1].id


def test_a_changed_event_from_before_the_key_breaks_the_first_keyed_one(session: Session) -> None:
    legacy = legacy_events(session, 3)
    keyed = audit.record(session=session, actor="U1", action="audit.verify")
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == legacy[1].id).values(purpose="x"))
    reseal_with_plain_sha256(session)
    session.expire_all()

    assert audit.verify_chain(session=session).first_broken_id == keyed.id


def test_removing_the_newest_events_is_reported_against_the_last_anchor(session: Session) -> None:
    events = consultations(session, 5)
    anchor = audit.verify_chain(session=session).head
    assert anchor is not None
    assert (anchor.event_id, anchor.hash, anchor.count) == (events[-1].id, events[-1].hash, 5)
    lift_audit_guards(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id.in_([e.id for e in events[3:]])))
    session.expire_all()

    report = audit.verify_chain(session=session, anchor=anchor)

    assert not report.intact and report.first_broken_id is None
    assert report.missing is not None and report.missing.head_gone
    assert report.missing.remaining == 3 and report.missing.missing == 2


def test_epochs_removed_and_the_chain_resealed_show_against_the_anchor(session: Session) -> None:
    events = consultations(session, 3)
    anchor = audit.verify_chain(session=session).head
    lift_audit_guards(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id == events[0].id))
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
