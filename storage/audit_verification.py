"""Checking an agency's audit chain: every seal recomputed in the chain's order, the first event
that does not follow named; with the agency's last anchor kept outside the database, the events
missing since it was taken. The session's agency is the one checked, and only its events count."""

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from storage.audit_chain import (
    AGENCY_FORMAT,
    EVENT_FORMAT,
    FIRST_CHAIN,
    GENESIS_HASH,
    LEGACY_FORMAT,
    chain_agency,
    chain_key,
    chain_start,
    event_hash,
    pruning_sealed_by,
    seal_hash,
    sealed_by,
)
from storage.audit_sealing import BATCH, persons_of, seal_pending
from storage.models import AuditChainEpoch, AuditChainPruning, AuditEvent, AuditPending, AuditSeal
from storage.models.base import utcnow

PAGE = 1000
# A seal's event: the same id, in the same agency (an event moved to another agency is gone).
_SEALED_EVENT = and_(
    AuditEvent.id == AuditSeal.event_id, AuditEvent.agency_id == AuditSeal.agency_id
)
_CHAIN_ROWS = (
    AuditSeal.seq,
    AuditSeal.event_id,
    AuditSeal.format,
    AuditSeal.previous_hash,
    AuditSeal.hash,
    AuditEvent.id,
    AuditEvent.at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.person_id,
    AuditEvent.purpose,
    AuditEvent.outcome,
    AuditEvent.target,
)


@dataclass(frozen=True)
class Anchor:
    """The chain's head as it stood, kept outside the database: its last event, that event's
    place in the chain and hash, and how many events the chain held."""

    event_id: int
    hash: str
    count: int
    at: datetime
    seq: int | None = None  # None: an anchor from before revision 0013, where seq = event id

    @property
    def position(self) -> int:
        return self.event_id if self.seq is None else self.seq


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
    pending: int = 0  # events appended and still waiting for their seal

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None and self.foreign_epochs == 0 and self.missing is None


class _Epochs:
    """Which key sealed a place in the chain: None before every epoch, else the epoch's (valid
    or not)."""

    def __init__(self, epochs: Sequence[AuditChainEpoch], key: bytes, agency: int) -> None:
        self._bounds = [(epoch.keyed_after_seq, sealed_by(epoch, key, agency)) for epoch in epochs]
        self.foreign = sum(not sealed for _, sealed in self._bounds)
        self._index = -1

    def sealing(self, seq: int) -> bool | None:
        """True: this key's; False: another key's; None: before any key. Places come in order."""
        while self._index + 1 < len(self._bounds) and self._bounds[self._index + 1][0] < seq:
            self._index += 1
        return None if self._index < 0 else self._bounds[self._index][1]


class _Walk:
    """An agency's chain followed seal by seal from its start."""

    def __init__(self, session: Session, key: bytes, start: AuditChainPruning | None) -> None:
        self.key = key
        self.agency = chain_agency(session)
        self.epochs = self._epochs(session)
        self.previous_hash = start.last_hash if start else GENESIS_HASH
        self.seq = start.pruned_through_seq if start else 0
        self.pruned = start.pruned_count if start else 0
        self.start_vouched = start is None or pruning_sealed_by(start, key, self.agency)
        self.checked = self.plain = self.unverifiable = 0
        self.last: Any = None

    def _epochs(self, session: Session) -> _Epochs:
        epochs = session.scalars(
            select(AuditChainEpoch).order_by(AuditChainEpoch.keyed_after_seq, AuditChainEpoch.id)
        ).all()
        return _Epochs(epochs, self.key, self.agency)

    def reload_epochs(self, session: Session) -> None:
        """After sealing, which may have begun an epoch: read them again, up to where it is."""
        self.epochs = self._epochs(session)
        self.epochs.sealing(self.seq)

    def follows(self, row: Any, persons: list[int]) -> bool:
        """Whether the seal `row` (with its event's columns) continues the chain."""
        sealing = self.epochs.sealing(row.seq)
        if not self.start_vouched and sealing is not False:
            return False  # a chain start this key did not seal: nothing after it can be trusted
        self.start_vouched = True
        # Places need not be consecutive: a legacy event's place is its id, and ids skip those
        # of rolled-back transactions. A removed seal breaks the next one's previous hash.
        if row.id is None or row.previous_hash != self.previous_hash:
            return False
        expected = self._expected(row, persons, sealing)
        if expected is None or not hmac.compare_digest(row.hash, expected):
            return False
        self.previous_hash, self.seq, self.last = row.hash, row.seq, row
        self.checked += 1
        return True

    def _expected(self, row: Any, persons: list[int], sealing: bool | None) -> str | None:
        if sealing is False:
            self.unverifiable += 1
            return str(row.hash)
        if row.format != AGENCY_FORMAT and self.agency != FIRST_CHAIN:
            return None  # formats from before the chains were agencies' are the first one's
        if row.format in (AGENCY_FORMAT, EVENT_FORMAT) and sealing:
            return seal_hash(
                key=self.key,
                agency=self.agency if row.format == AGENCY_FORMAT else None,
                seq=row.seq,
                previous_hash=self.previous_hash,
                event=row,
                person_ids=persons,
            )
        if row.format != LEGACY_FORMAT or sorted(persons) != _legacy_persons(row):
            return None
        self.plain += sealing is None
        return event_hash(
            key=self.key if sealing else None,
            previous_hash=self.previous_hash,
            at=row.at,
            actor=row.actor,
            action=row.action,
            person_id=row.person_id,
            purpose=row.purpose,
            outcome=row.outcome,
            target=row.target,
        )

    def report(self, first_broken_id: int | None, **more: Any) -> ChainReport:
        return ChainReport(
            checked=self.checked,
            first_broken_id=first_broken_id,
            plain=self.plain,
            foreign_epochs=self.epochs.foreign,
            unverifiable=self.unverifiable,
            pruned=self.pruned,
            **more,
        )


def _legacy_persons(row: Any) -> list[int]:
    """A format 1 event concerned the one person in its row, or none."""
    return [] if row.person_id is None else [row.person_id]


def verify_chain(
    *,
    session: Session,
    anchor: Anchor | None = None,
    key: bytes | None = None,
    seal: bool = True,
) -> ChainReport:
    """Recomputes every seal in the chain of the agency the session acts for, in its order, and
    names the first event that does not follow; then the first of the agency's events with
    neither seal nor place in the queue (an event the chain lost). With `seal`, the queued
    events are sealed first, at the end of the walk, so the chain's lock is held only from
    there until the caller commits. With the agency's last anchor, also reports the events
    missing since it was taken."""
    key = chain_key(session, key)
    start = chain_start(session)
    walk = _Walk(session, key, start)
    pending_sealed = not seal
    while True:
        page = session.execute(
            select(*_CHAIN_ROWS)
            .outerjoin(AuditEvent, _SEALED_EVENT)
            .where(AuditSeal.seq > walk.seq)
            .order_by(AuditSeal.seq)
            .limit(PAGE)
        ).all()
        if not page:
            if pending_sealed:
                break
            while seal_pending(session=session, key=key) == BATCH:
                pass
            walk.reload_epochs(session)
            pending_sealed = True
            continue
        persons = persons_of(session, [row.event_id for row in page])
        for row in page:
            if not walk.follows(row, persons.get(row.event_id, [])):
                return walk.report(row.event_id, missing=_missing_since(session, anchor, start))
    missing = _missing_since(session, anchor, start)
    pending = session.scalar(select(func.count()).select_from(AuditPending)) or 0
    lost = _first_lost_event(session)
    if lost is not None:
        return walk.report(lost, missing=missing, pending=pending)
    head = None
    if walk.last is not None:
        head = Anchor(
            event_id=walk.last.event_id,
            hash=walk.last.hash,
            count=walk.pruned + walk.checked,
            at=utcnow(),
            seq=walk.last.seq,
        )
    return walk.report(None, missing=missing, head=head, pending=pending)


def _first_lost_event(session: Session) -> int | None:
    """The first event that has no seal and is not queued either. A seal that another sealer
    added after the walk counts: its event was queued, and sealing takes it off the queue in the
    same commit, so every event is one or the other at any moment."""
    sealed = exists().where(
        AuditSeal.event_id == AuditEvent.id, AuditSeal.agency_id == AuditEvent.agency_id
    )
    queued = exists().where(
        AuditPending.event_id == AuditEvent.id, AuditPending.agency_id == AuditEvent.agency_id
    )
    return session.scalar(select(func.min(AuditEvent.id)).where(~sealed, ~queued))


def _missing_since(
    session: Session, anchor: Anchor | None, start: AuditChainPruning | None
) -> MissingEvents | None:
    """Anchors count every event since the genesis, pruned ones included."""
    if anchor is None:
        return None
    position = anchor.position
    if start is not None and position <= start.pruned_through_seq:
        # The anchored head was pruned since: the pruning, sealed, stands for it.
        if start.pruned_count >= anchor.count:
            return None
        return MissingEvents(
            anchor=anchor, remaining=start.pruned_count, head_gone=True, head_changed=False
        )
    pruned_through = start.pruned_through_seq if start else 0
    anchored = session.execute(
        select(AuditSeal.hash, AuditEvent.id)
        .outerjoin(AuditEvent, _SEALED_EVENT)
        .where(AuditSeal.seq == position)
    ).first()
    kept = session.scalar(
        select(func.count())
        .select_from(AuditSeal)
        .join(AuditEvent, _SEALED_EVENT)
        .where(AuditSeal.seq <= position, AuditSeal.seq > pruned_through)
    )
    remaining = (kept or 0) + (start.pruned_count if start else 0)
    head_gone = anchored is None or anchored.id is None
    head_changed = not head_gone and anchored is not None and anchored.hash != anchor.hash
    if not head_gone and not head_changed and remaining >= anchor.count:
        return None
    return MissingEvents(
        anchor=anchor, remaining=remaining, head_gone=head_gone, head_changed=head_changed
    )
