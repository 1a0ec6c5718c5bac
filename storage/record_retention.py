"""How long the records that outlive a person are kept: closed data-subject requests, and
the audit trail, pruned by whole prefixes so that its chain stays verifiable.

A pruning deletes the events sealed before the first one recorded at or after the cut-off (so
never one that is not yet due), with their seals and person links, once the chain has been
verified up to there; it records the last deleted seal's hash, sealed with the chain's key, as
the chain's new start (storage.audit.chain_start), so verification goes on from it and still
names the first broken event after it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.models import (
    AuditChainPruning,
    AuditEvent,
    AuditEventPerson,
    AuditSeal,
    DataSubjectRequest,
)
from storage.models.base import utcnow
from storage.models.enums import RequestStatus

CLOSED = (RequestStatus.COMPLETED, RequestStatus.REJECTED)
PRUNE_ACTION = "audit.prune"


def delete_expired_requests(*, session: Session, closed_before: datetime) -> int:
    """Deletes the requests closed before `closed_before`; open ones are never deleted."""
    expired = select(DataSubjectRequest.id).where(
        DataSubjectRequest.status.in_(CLOSED),
        func.coalesce(DataSubjectRequest.completed_at, DataSubjectRequest.updated_at)
        < closed_before,
    )
    ids = list(session.scalars(expired))
    if ids:
        session.execute(
            delete(DataSubjectRequest)
            .where(DataSubjectRequest.id.in_(ids))
            .execution_options(synchronize_session=False)
        )
    session.flush()
    return len(ids)


@dataclass(frozen=True)
class Pruning:
    pruned: int  # events deleted now
    through_seq: int | None  # the place in the chain of the last of them
    refused_at: int | None = None  # the event where the chain is broken, at or before the cut


def prune_audit_trail(
    *, session: Session, older_than: datetime, actor: str = "system", key: bytes | None = None
) -> Pruning:
    """Deletes the events sealed before the first one recorded at or after `older_than`, as
    one prefix of the chain of the agency the session acts for (with their seals and person
    links); other agencies' chains are pruned on their own."""
    audit.take_chain_lock(session, wait=True)
    report = audit.verify_chain(session=session, key=key)
    start = audit.chain_start(session)
    after = start.pruned_through_seq if start else 0
    newer = session.scalar(
        select(func.min(AuditSeal.seq))
        .join(AuditEvent, AuditEvent.id == AuditSeal.event_id)
        .where(AuditSeal.seq > after, AuditEvent.at >= older_than)
    )
    last = select(func.max(AuditSeal.seq)).where(AuditSeal.seq > after)
    if newer is not None:
        last = last.where(AuditSeal.seq < newer)
    through = session.scalar(last)
    if through is None:
        return Pruning(0, None)
    if report.first_broken_id is not None:
        broken_at = session.scalar(
            select(AuditSeal.seq).where(AuditSeal.event_id == report.first_broken_id)
        )
        if broken_at is None or broken_at <= through:
            return Pruning(0, None, refused_at=report.first_broken_id)
    last_hash = session.scalar(select(AuditSeal.hash).where(AuditSeal.seq == through))
    assert last_hash is not None
    covered = select(AuditSeal.event_id).where(AuditSeal.seq > after, AuditSeal.seq <= through)
    count = session.scalar(select(func.count()).select_from(covered.subquery())) or 0
    total = (start.pruned_count if start else 0) + count
    chain_key = audit.chain_key(session, key)
    session.add(
        AuditChainPruning(
            pruned_through_seq=through,
            last_hash=last_hash,
            pruned_count=total,
            seal=audit.pruning_seal(
                chain_key, through, last_hash, total, audit.chain_agency(session)
            ),
            pruned_at=utcnow(),
        )
    )
    session.flush()
    # Links and events first: their guards let them go while their seals are within the cut.
    ours = select(AuditSeal.event_id).where(AuditSeal.seq <= through)
    for statement in (
        delete(AuditEventPerson).where(AuditEventPerson.event_id.in_(ours)),
        delete(AuditEvent).where(AuditEvent.id.in_(ours)),
        delete(AuditSeal).where(AuditSeal.seq <= through),
    ):
        session.execute(statement.execution_options(synchronize_session=False))
    audit.record(session=session, actor=actor, action=PRUNE_ACTION, key=key)
    return Pruning(count, through)
