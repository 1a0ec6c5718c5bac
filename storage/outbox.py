"""The outbox: what the bot must say, to whom, written in the transaction of the work it tells of.

A message is put in once per key (what, to whom): the same work done again (a retried request,
a job run again) finds its message already there. Delivering is claim, send, settle: the claim
is committed before anyone calls Slack, so two deliverers never send one message twice, and no
transaction is held open while Slack answers. A claim older than `ABANDONED_AFTER` is taken
over (its deliverer died).

Storage knows no Slack: it keeps the rows; the Slack side renders and sends them.
"""

import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import OutboxMessage
from storage.models.base import utcnow
from storage.models.enums import OutboxKind, OutboxStatus

ABANDONED_AFTER = timedelta(minutes=5)
# Undelivered this long, a message is shown to the controllers (Home tab, /rekisteri).
OVERDUE_AFTER = timedelta(hours=1)
# A message Slack refused for good stays on show this long.
FAILED_SHOWN_FOR = timedelta(days=7)
CLAIM_BATCH = 100
# Settled messages are kept this long: their keys stop a job re-run for a past period, or a
# retried request, from saying it again.
SETTLED_KEPT_FOR = timedelta(days=90)
# The ids of the messages a session put in, delivered as soon as it commits (the fast path).
ENQUEUED = "outbox_enqueued"


@dataclass(frozen=True)
class Claimed:
    """A message claimed for delivery; only the holder of `token` may settle it."""

    id: int
    kind: OutboxKind
    recipient: str
    request_id: int | None
    params: dict[str, Any]
    attempts: int
    token: str


@dataclass(frozen=True)
class Undelivered:
    """Messages not delivered after OVERDUE_AFTER, by kind: still retried, or given up."""

    retrying: dict[OutboxKind, int] = field(default_factory=dict)
    failed: dict[OutboxKind, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.retrying.values()) + sum(self.failed.values())


def enqueue(
    *,
    session: Session,
    key: str,
    kind: OutboxKind,
    recipient: str,
    request_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> bool:
    """Puts the message in unless its key is there already; True when it was put in.

    Two transactions racing with one key meet at the unique index: the second waits for the
    first, and its insert fails inside its savepoint.
    """
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    message = OutboxMessage(
        key=key,
        kind=kind,
        recipient=recipient,
        request_id=request_id,
        params=params or {},
        next_attempt_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        return False
    session.info.setdefault(ENQUEUED, []).append(message.id)
    return True


def take_enqueued(session: Session) -> list[int]:
    """The ids put in through this session since it last was asked, forgotten by it."""
    ids: list[int] = session.info.pop(ENQUEUED, [])
    return ids


def forget_enqueued(session: Session) -> None:
    session.info.pop(ENQUEUED, None)


def has_pending(
    *, session: Session, kind: OutboxKind, request_id: int, recipient: str, untried: bool = False
) -> bool:
    """Whether such a message waits for delivery (`untried`: and no one has tried it yet)."""
    query = select(OutboxMessage.id).where(
        OutboxMessage.kind == kind,
        OutboxMessage.request_id == request_id,
        OutboxMessage.recipient == recipient,
        OutboxMessage.status == OutboxStatus.PENDING,
    )
    if untried:
        query = query.where(OutboxMessage.claimed_at.is_(None), OutboxMessage.attempts == 0)
    return session.scalar(query.limit(1)) is not None


def status_of(*, session: Session, key: str) -> OutboxStatus | None:
    return session.scalar(select(OutboxMessage.status).where(OutboxMessage.key == key))


def recipients_of(*, session: Session, kind: OutboxKind, request_id: int) -> list[str]:
    """Who a message of this kind about the request is for, delivered or not yet."""
    rows = session.scalars(
        select(OutboxMessage.recipient)
        .where(
            OutboxMessage.kind == kind,
            OutboxMessage.request_id == request_id,
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.DELIVERED)),
        )
        .order_by(OutboxMessage.id)
    )
    return list(rows)


def claim(
    *,
    session: Session,
    now: datetime,
    ids: Iterable[int] | None = None,
    limit: int = CLAIM_BATCH,
) -> list[Claimed]:
    """Claims pending messages that are due (or, given `ids`, those messages whenever due) and
    not held by a live claim. Rows another deliverer has locked are skipped (PostgreSQL); on
    SQLite the write lock the transaction holds keeps other deliverers out."""
    query = select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING,
        or_(
            OutboxMessage.claimed_at.is_(None),
            OutboxMessage.claimed_at < now - ABANDONED_AFTER,
        ),
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    else:
        query = query.where(OutboxMessage.next_attempt_at <= now)
    query = query.order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
    claimed = []
    for message in session.scalars(query):
        message.claimed_at = now
        message.claim_token = secrets.token_hex(16)
        claimed.append(
            Claimed(
                id=message.id,
                kind=message.kind,
                recipient=message.recipient,
                request_id=message.request_id,
                params=dict(message.params),
                attempts=message.attempts,
                token=message.claim_token,
            )
        )
    session.flush()
    return claimed


def _settle(session: Session, claimed: Claimed, **values: Any) -> bool:
    """Records the outcome if the claim still holds; False when another deliverer took over."""
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id == claimed.id, OutboxMessage.claim_token == claimed.token)
        .values(claimed_at=None, claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount == 1  # type: ignore[attr-defined]


def delivered(*, session: Session, claimed: Claimed, now: datetime) -> bool:
    return _settle(
        session,
        claimed,
        status=OutboxStatus.DELIVERED,
        delivered_at=now,
        attempts=claimed.attempts + 1,
        last_error=None,
    )


def retry_later(*, session: Session, claimed: Claimed, error: str, at: datetime) -> bool:
    return _settle(
        session,
        claimed,
        attempts=claimed.attempts + 1,
        next_attempt_at=at,
        last_error=error[:64],
    )


def failed(*, session: Session, claimed: Claimed, error: str) -> bool:
    return _settle(
        session,
        claimed,
        status=OutboxStatus.FAILED,
        attempts=claimed.attempts + 1,
        last_error=error[:64],
    )


def cancelled(*, session: Session, claimed: Claimed, reason: str) -> bool:
    return _settle(session, claimed, status=OutboxStatus.CANCELLED, last_error=reason[:64])


def undelivered(*, session: Session, now: datetime | None = None) -> Undelivered:
    """What is still undelivered OVERDUE_AFTER after it was put in, counted by kind."""
    now = now or utcnow()
    overdue = OutboxMessage.created_at <= now - OVERDUE_AFTER
    rows = session.execute(
        select(OutboxMessage.kind, OutboxMessage.status, func.count())
        .where(
            overdue,
            or_(
                OutboxMessage.status == OutboxStatus.PENDING,
                (OutboxMessage.status == OutboxStatus.FAILED)
                & (OutboxMessage.created_at > now - FAILED_SHOWN_FOR),
            ),
        )
        .group_by(OutboxMessage.kind, OutboxMessage.status)
    )
    retrying: Counter[OutboxKind] = Counter()
    failed_: Counter[OutboxKind] = Counter()
    for kind, status, count in rows:
        (retrying if status is OutboxStatus.PENDING else failed_)[kind] += count
    return Undelivered(retrying=dict(retrying), failed=dict(failed_))


def forget_settled(*, session: Session, now: datetime) -> int:
    """Deletes the messages settled (delivered, failed, cancelled) SETTLED_KEPT_FOR ago."""
    statement = delete(OutboxMessage).where(
        OutboxMessage.status != OutboxStatus.PENDING,
        OutboxMessage.created_at < now - SETTLED_KEPT_FOR,
    )
    return session.execute(statement).rowcount  # type: ignore[attr-defined]
