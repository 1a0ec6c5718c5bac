"""How long the records that outlive a person are kept: closed data-subject requests, and
the audit trail, pruned by whole prefixes so that its chain stays verifiable.

A pruning deletes every event up to the last one older than the cut-off, once the chain has
been verified up to there; it records the last deleted event's hash, sealed with the chain's
key, as the chain's new start (storage.audit.chain_start), so verification goes on from it and
still names the first broken event after it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.models import AuditChainPruning, AuditEvent, DataSubjectRequest
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
    through_id: int | None  # the last of them
    refused_at: int | None = None  # the chain is broken here, at or before the cut: nothing done


def prune_audit_trail(
    *, session: Session, older_than: datetime, actor: str = "system", key: bytes | None = None
) -> Pruning:
    """Deletes the events recorded before `older_than`, as one prefix of the chain."""
    audit.lock_the_chain(session)
    start = audit.chain_start(session)
    after = start.pruned_through_id if start else 0
    through = session.scalar(
        select(func.max(AuditEvent.id)).where(AuditEvent.id > after, AuditEvent.at < older_than)
    )
    if through is None:
        return Pruning(0, None)
    report = audit.verify_chain(session=session, key=key)
    if report.first_broken_id is not None and report.first_broken_id <= through:
        return Pruning(0, None, refused_at=report.first_broken_id)
    last_hash = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == through))
    assert last_hash is not None
    count = (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.id > after, AuditEvent.id <= through)
        )
        or 0
    )
    total = (start.pruned_count if start else 0) + count
    chain_key = audit.chain_key(session, key)
    session.add(
        AuditChainPruning(
            pruned_through_id=through,
            last_hash=last_hash,
            pruned_count=total,
            seal=audit.pruning_seal(chain_key, through, last_hash, total),
            pruned_at=utcnow(),
        )
    )
    session.flush()
    session.execute(
        delete(AuditEvent)
        .where(AuditEvent.id <= through)
        .execution_options(synchronize_session=False)
    )
    audit.record(session=session, actor=actor, action=PRUNE_ACTION, key=key)
    return Pruning(count, through)
