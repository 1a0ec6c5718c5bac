"""The audit trail: append-only rows, each sealed together with the one before it.

A row's seal is an HMAC-SHA256 under a key held outside the database, so that whoever can
write the database but lacks the key cannot recompute the chain. Rows written before a key
existed keep their plain SHA-256: they are checked as such, and the first keyed row seals
their last hash in turn. `audit_chain_epochs` says from which event on which key seals the
chain; each epoch's boundary is itself sealed with its key, so it cannot be moved without it.

The key reaches storage as a parameter: `Database(audit_chain_key=...)` puts it into every
session's `info`, where `record` and `verify_chain` find it.
"""

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage.bulk import insert_rows
from storage.errors import RefusedRead
from storage.models import AuditChainEpoch, AuditChainPruning, AuditEvent
from storage.models.base import utcnow
from storage.models.enums import AuditOutcome

GENESIS_HASH = "0" * 64
# Any constant: PostgreSQL advisory lock that serialises appends until the transaction ends.
AUDIT_LOCK_KEY = 0x61756469
CHAIN_KEY = "audit_chain_key"


class MissingChainKey(RuntimeError):
    """The session carries no key to seal the audit trail with."""


def session_info(key: bytes) -> dict[str, bytes]:
    """What a session's `info` holds for the audit trail: the key of its chain."""
    return {CHAIN_KEY: key}


def chain_key(session: Session, key: bytes | None = None) -> bytes:
    """`key`, or else the session's; refuses a session without one."""
    return _chain_key(session, key)


def _chain_key(session: Session, key: bytes | None) -> bytes:
    key = key or session.info.get(CHAIN_KEY)
    if not key:
        raise MissingChainKey("no audit chain key on this session (Database(audit_chain_key=))")
    return key


def event_hash(
    *,
    key: bytes | None,
    previous_hash: str,
    at: datetime,
    actor: str,
    action: str,
    person_id: int | None,
    purpose: str | None,
    outcome: AuditOutcome,
    target: str | None = None,
) -> str:
    """HMAC-SHA256 under `key`; plain SHA-256 for rows sealed before any key (key None)."""
    fields = [
        previous_hash,
        at.isoformat(timespec="microseconds"),
        actor,
        action,
        "" if person_id is None else str(person_id),
        purpose or "",
        outcome.value,
    ]
    if target is not None:
        fields.append(target)
    message = "\x1f".join(fields).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def epoch_seal(key: bytes, keyed_after_id: int) -> str:
    return hmac.new(key, f"keyed after {keyed_after_id}".encode(), hashlib.sha256).hexdigest()


def _sealed_by(epoch: AuditChainEpoch, key: bytes) -> bool:
    return hmac.compare_digest(epoch.seal, epoch_seal(key, epoch.keyed_after_id))


def lock_the_chain(session: Session) -> None:
    """Serialises appends (and pruning) on PostgreSQL until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})


def pruning_seal(key: bytes, pruned_through_id: int, last_hash: str, pruned_count: int) -> str:
    message = f"pruned through {pruned_through_id} {last_hash} {pruned_count}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def chain_start(session: Session) -> AuditChainPruning | None:
    """The latest pruning: the chain goes on from its last hash (None: from the genesis)."""
    return session.scalar(
        select(AuditChainPruning)
        .order_by(AuditChainPruning.pruned_through_id.desc(), AuditChainPruning.id.desc())
        .limit(1)
    )


def _last_event(session: Session) -> tuple[int, str]:
    lock_the_chain(session)
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    if last:
        return last.id, last.hash
    start = chain_start(session)
    return (start.pruned_through_id, start.last_hash) if start else (0, GENESIS_HASH)


def _ensure_epoch(session: Session, key: bytes, last_id: int) -> None:
    """Starts an epoch for `key` unless the newest one is already its own."""
    newest = session.scalar(select(AuditChainEpoch).order_by(AuditChainEpoch.id.desc()).limit(1))
    if newest is not None and _sealed_by(newest, key):
        return
    session.add(
        AuditChainEpoch(keyed_after_id=last_id, seal=epoch_seal(key, last_id), created_at=utcnow())
    )


def sealed_by_session_key(*, session: Session) -> bool | None:
    """Whether the newest epoch of the chain is the session key's (None: no epoch yet)."""
    newest = session.scalar(select(AuditChainEpoch).order_by(AuditChainEpoch.id.desc()).limit(1))
    return None if newest is None else _sealed_by(newest, _chain_key(session, None))


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    person_id: int | None = None,
    purpose: str | None = None,
    target: str | None = None,
    key: bytes | None = None,
) -> AuditEvent:
    return record_many(
        session=session,
        actor=actor,
        action=action,
        outcome=outcome,
        person_ids=[person_id],
        purpose=purpose,
        target=target,
        key=key,
    )[0]


def record_many(
    *,
    session: Session,
    actor: str,
    action: str,
    person_ids: Iterable[int | None],
    purpose: str | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    target: str | None = None,
    key: bytes | None = None,
) -> list[AuditEvent]:
    """One row per person, e.g. every id a hit list showed; `key` defaults to the session's."""
    events = [
        AuditEvent(**row)
        for row in _sealed_rows(session, actor, action, person_ids, purpose, outcome, target, key)
    ]
    session.add_all(events)
    session.flush()
    return events


def record_bulk(
    *,
    session: Session,
    actor: str,
    action: str,
    person_ids: Iterable[int | None],
    purpose: str | None = None,
) -> None:
    """As `record_many`, for thousands of rows at a time (an import): the rows are written
    without an object each, one after the other in the chain's order, so their ids follow
    it."""
    person_ids = list(person_ids)
    if not person_ids:
        return
    rows = _sealed_rows(session, actor, action, person_ids, purpose, AuditOutcome.ALLOWED, None)
    insert_rows(session, AuditEvent, rows)


def _sealed_rows(
    session: Session,
    actor: str,
    action: str,
    person_ids: Iterable[int | None],
    purpose: str | None,
    outcome: AuditOutcome,
    target: str | None,
    key: bytes | None = None,
) -> list[dict[str, Any]]:
    """The events' columns, each sealed with the one before it, the first with the chain's
    last (which the PostgreSQL advisory lock keeps the last until the transaction ends)."""
    chain_key = _chain_key(session, key)
    last_id, previous_hash = _last_event(session)
    _ensure_epoch(session, chain_key, last_id)
    at = utcnow()
    rows = []
    for person_id in person_ids:
        fields = dict(
            at=at,
            actor=actor,
            action=action,
            person_id=person_id,
            purpose=purpose,
            outcome=outcome,
            target=target,
        )
        digest = event_hash(key=chain_key, previous_hash=previous_hash, **fields)  # type: ignore[arg-type]
        rows.append({**fields, "previous_hash": previous_hash, "hash": digest})
        previous_hash = digest
    return rows


def record_refusal(*, session: Session, refusal: RefusedRead) -> AuditEvent:
    return record(
        session=session,
        actor=refusal.actor,
        action=refusal.action,
        person_id=refusal.person_id,
        outcome=AuditOutcome.DENIED,
    )


@dataclass(frozen=True)
class Anchor:
    """The chain's head as it stood, kept outside the database: its last event and count."""

    event_id: int
    hash: str
    count: int
    at: datetime


@dataclass(frozen=True)
class MissingEvents:
    """What has gone since an anchor: `remaining` of the anchored `anchor.count` events are
    left; the anchored head itself is gone, or is there with another hash."""

    anchor: Anchor
    remaining: int
    head_gone: bool
    head_changed: bool

    @property
    def missing(self) -> int:
        return max(self.anchor.count - self.remaining, 0)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    plain: int = 0  # sealed with plain SHA-256, before any key
    foreign_epochs: int = 0  # epochs not sealed with this key: another key, or a moved boundary
    unverifiable: int = 0  # events in those epochs, which this key cannot check
    missing: MissingEvents | None = None
    head: Anchor | None = None  # the last event checked, to anchor when the chain is intact
    pruned: int = 0  # events deleted past their retention before the chain's start

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None and self.foreign_epochs == 0 and self.missing is None


class _Epochs:
    """Which key sealed an event: None before every epoch, else the epoch's (valid or not)."""

    def __init__(self, epochs: Sequence[AuditChainEpoch], key: bytes) -> None:
        self._bounds = [(epoch.keyed_after_id, _sealed_by(epoch, key)) for epoch in epochs]
        self.foreign = sum(not sealed for _, sealed in self._bounds)
        self._index = -1

    def sealing(self, event_id: int) -> bool | None:
        """True: this key's; False: another key's; None: before any key. Ids come in order."""
        while self._index + 1 < len(self._bounds) and self._bounds[self._index + 1][0] < event_id:
            self._index += 1
        return None if self._index < 0 else self._bounds[self._index][1]


def verify_chain(
    *, session: Session, anchor: Anchor | None = None, key: bytes | None = None
) -> ChainReport:
    """Recomputes every seal in order and names the first row that does not follow; with the
    last anchor, also reports the events missing since it was taken."""
    chain_key = _chain_key(session, key)
    epochs = _Epochs(
        session.scalars(
            select(AuditChainEpoch).order_by(AuditChainEpoch.keyed_after_id, AuditChainEpoch.id)
        ).all(),
        chain_key,
    )
    start = chain_start(session)
    previous_hash = start.last_hash if start else GENESIS_HASH
    pruned_through = start.pruned_through_id if start else 0
    pruned = start.pruned_count if start else 0
    start_vouched = start is None or hmac.compare_digest(
        start.seal, pruning_seal(chain_key, start.pruned_through_id, start.last_hash, pruned)
    )
    checked = plain = unverifiable = 0
    missing = _missing_since(session, anchor, start)
    last: AuditEvent | None = None
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.id > pruned_through)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=1000)
    )
    for event in rows:
        sealing = epochs.sealing(event.id)
        if not start_vouched and sealing is not False:
            # A chain start this key did not seal: whatever follows it cannot be trusted.
            return ChainReport(
                checked=checked,
                first_broken_id=event.id,
                plain=plain,
                foreign_epochs=epochs.foreign,
                unverifiable=unverifiable,
                missing=missing,
                pruned=pruned,
            )
        start_vouched = True
        if sealing is False:
            unverifiable += 1
            expected = event.hash
        else:
            plain += sealing is None
            expected = event_hash(
                key=chain_key if sealing else None,
                previous_hash=previous_hash,
                at=event.at,
                actor=event.actor,
                action=event.action,
                person_id=event.person_id,
                purpose=event.purpose,
                outcome=event.outcome,
                target=event.target,
            )
        if event.previous_hash != previous_hash or not hmac.compare_digest(event.hash, expected):
            return ChainReport(
                checked=checked,
                first_broken_id=event.id,
                plain=plain,
                foreign_epochs=epochs.foreign,
                unverifiable=unverifiable,
                missing=missing,
                pruned=pruned,
            )
        previous_hash = event.hash
        checked += 1
        last = event
    head = None
    if last is not None:
        head = Anchor(event_id=last.id, hash=last.hash, count=pruned + checked, at=utcnow())
    return ChainReport(
        checked=checked,
        first_broken_id=None,
        plain=plain,
        foreign_epochs=epochs.foreign,
        unverifiable=unverifiable,
        missing=missing,
        head=head,
        pruned=pruned,
    )


def _missing_since(
    session: Session, anchor: Anchor | None, start: AuditChainPruning | None
) -> MissingEvents | None:
    """Anchors count every event since the genesis, pruned ones included."""
    if anchor is None:
        return None
    if start is not None and anchor.event_id <= start.pruned_through_id:
        # The anchored head was pruned since: the pruning, sealed, stands for it.
        if start.pruned_count >= anchor.count:
            return None
        return MissingEvents(
            anchor=anchor, remaining=start.pruned_count, head_gone=True, head_changed=False
        )
    pruned_through = start.pruned_through_id if start else 0
    anchored_hash = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == anchor.event_id))
    kept = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.id <= anchor.event_id, AuditEvent.id > pruned_through)
    )
    remaining = (kept or 0) + (start.pruned_count if start else 0)
    head_gone = anchored_hash is None
    head_changed = anchored_hash is not None and anchored_hash != anchor.hash
    if not head_gone and not head_changed and remaining >= anchor.count:
        return None
    return MissingEvents(
        anchor=anchor, remaining=remaining, head_gone=head_gone, head_changed=head_changed
    )
