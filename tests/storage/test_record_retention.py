"""Closed requests and audit events past their retention: requests deleted, the audit trail
pruned by a whole prefix that leaves the rest verifiable, and tampering still caught after."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage import audit, record_retention
from storage.models import (
    AuditChainPruning,
    AuditEvent,
    AuditEventPerson,
    AuditSeal,
    DataSubjectRequest,
)
from storage.models.base import utcnow
from storage.models.enums import RequestChannel, RequestKind, RequestStatus
from tests.tampering import lift_audit_guards, remove_events, seal_of


def events(session: Session, count: int) -> list[audit.AppendedEvent]:
    recorded = [
        audit.record(session=session, actor="U1", action="person.view", person_id=n)
        for n in range(count)
    ]
    audit.seal_pending(session=session)
    return recorded


def pruned_before_the_rest(
    session: Session, old: int, new: int
) -> tuple[list[audit.AppendedEvent], list[audit.AppendedEvent]]:
    """`old` events, a cut-off, then `new` events; the old ones pruned."""
    before = events(session, old)
    cut = utcnow() + timedelta(microseconds=1)
    while utcnow() <= cut:
        pass
    after = events(session, new)
    last_old = seal_of(session, before[-1].id).seq
    done = record_retention.prune_audit_trail(session=session, older_than=cut)
    assert (done.pruned, done.through_seq) == (old, last_old)
    session.expire_all()
    return before, after


def test_the_chain_verifies_after_a_pruning(session: Session) -> None:
    before, after = pruned_before_the_rest(session, 3, 2)
    remaining = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    assert remaining[: len(after)] == [e.id for e in after]
    audit.seal_pending(session=session)  # the pruning's own event
    kept_seals = session.scalars(select(AuditSeal.event_id).order_by(AuditSeal.seq)).all()
    assert kept_seals == remaining
    pruned_links = select(AuditEventPerson).where(
        AuditEventPerson.event_id.in_([e.id for e in before])
    )
    assert session.scalars(pruned_links).all() == []
    report = audit.verify_chain(session=session)
    assert report.intact
    assert report.checked == 3  # the two kept and the pruning's own event
    assert report.pruned == 3
    assert report.head is not None and report.head.count == 6


def test_tampering_after_a_pruning_names_the_first_broken_event(session: Session) -> None:
    _, after = pruned_before_the_rest(session, 3, 3)
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == after[1].id).values(person_id=99))
    session.expire_all()
    assert audit.verify_chain(session=session).first_broken_id == after[1].id


def test_cutting_the_trail_without_a_sealed_pruning_is_caught(session: Session) -> None:
    _, after = pruned_before_the_rest(session, 2, 3)
    lift_audit_guards(session)
    remove_events(session, [after[0].id])
    session.expire_all()
    assert audit.verify_chain(session=session).first_broken_id == after[1].id


def test_a_forged_pruning_is_caught(session: Session) -> None:
    first = events(session, 4)
    lift_audit_guards(session)
    cut = seal_of(session, first[1].id)
    session.add(
        AuditChainPruning(
            pruned_through_seq=cut.seq,
            last_hash=cut.hash,
            pruned_count=2,
            seal="0" * 64,
            pruned_at=utcnow(),
        )
    )
    session.flush()
    remove_events(session, [first[0].id, first[1].id])
    session.expire_all()
    assert audit.verify_chain(session=session).first_broken_id == first[2].id


def test_removing_the_pruning_records_is_caught(session: Session) -> None:
    _, after = pruned_before_the_rest(session, 2, 2)
    session.execute(delete(AuditChainPruning))
    session.expire_all()
    assert audit.verify_chain(session=session).first_broken_id == after[0].id


def test_an_anchor_taken_before_the_pruning_still_holds(session: Session) -> None:
    events(session, 3)
    anchor = audit.verify_chain(session=session).head
    cut = utcnow() + timedelta(microseconds=1)
    while utcnow() <= cut:
        pass
    events(session, 2)
    anchor_after = audit.verify_chain(session=session).head
    record_retention.prune_audit_trail(session=session, older_than=cut)
    session.expire_all()
    assert audit.verify_chain(session=session, anchor=anchor).intact
    assert audit.verify_chain(session=session, anchor=anchor_after).intact


def test_a_broken_chain_is_not_pruned(session: Session) -> None:
    first = events(session, 3)
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == first[1].id).values(person_id=99))
    session.expire_all()
    done = record_retention.prune_audit_trail(session=session, older_than=utcnow())
    assert (done.pruned, done.refused_at) == (0, first[1].id)
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == 3


def test_nothing_old_enough_prunes_nothing(session: Session) -> None:
    events(session, 2)
    done = record_retention.prune_audit_trail(
        session=session, older_than=utcnow() - timedelta(days=1)
    )
    assert (done.pruned, done.through_seq) == (0, None)


def test_the_whole_trail_pruned_goes_on_from_its_last_hash(session: Session) -> None:
    events(session, 2)
    record_retention.prune_audit_trail(session=session, older_than=utcnow())
    assert audit.verify_chain(session=session).intact
    events(session, 1)
    assert audit.verify_chain(session=session).intact


def test_events_outside_a_pruning_still_cannot_be_deleted(session: Session) -> None:
    _, after = pruned_before_the_rest(session, 2, 2)
    for statement in (
        delete(AuditEvent).where(AuditEvent.id == after[0].id),
        delete(AuditSeal).where(AuditSeal.event_id == after[0].id),
        delete(AuditEventPerson).where(AuditEventPerson.event_id == after[0].id),
    ):
        with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
            session.execute(statement)


def request(session: Session, status: RequestStatus, completed_at: datetime | None) -> int:
    row = DataSubjectRequest(
        kind=RequestKind.ACCESS,
        channel=RequestChannel.EMAIL,
        received_on=date(2019, 1, 2),
        due_on=date(2019, 2, 4),
        status=status,
        completed_at=completed_at,
    )
    session.add(row)
    session.flush()
    return row.id


def test_closed_requests_past_their_period_are_deleted_and_no_open_one(session: Session) -> None:
    now = utcnow()
    old = request(session, RequestStatus.COMPLETED, now - timedelta(days=400))
    rejected = request(session, RequestStatus.REJECTED, now - timedelta(days=400))
    recent = request(session, RequestStatus.COMPLETED, now - timedelta(days=10))
    still_open = request(session, RequestStatus.IN_PROGRESS, None)
    deleted = record_retention.delete_expired_requests(
        session=session, closed_before=now - timedelta(days=365)
    )
    assert deleted == 2
    left = set(session.scalars(select(DataSubjectRequest.id)))
    assert {recent, still_open} <= left and not {old, rejected} & left
