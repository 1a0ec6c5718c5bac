"""The audit chain's formulas and boundaries: what a seal hashes, under which key, and where the
chain starts.

A seal is an HMAC-SHA256 under a key held outside the database, so that whoever can write the
database but lacks the key cannot recompute the chain. Each agency has a chain of its own,
counted from place 1. Seals of format 3 hash a marker, the agency, the place in its chain, the
event's id, its fields and its sorted person ids, so that an event moved into another agency's
chain does not verify there. Seals of format 2 hashed the same without the agency, and those of
format 1
(events sealed one by one as they were appended, before revision 0013) hash the event's fields
as they did then; those written before a key existed are plain SHA-256, and the first keyed
seal chains their last hash in turn. `audit_chain_epochs` says from which place in the chain on
which key seals it; each epoch's boundary is itself sealed with its key, so it cannot be moved
without it. Formats 1 and 2, and the boundaries sealed without the agency, are from before
revision 0021, when the one chain there was became agency 1's: they verify in its chain only.

The key reaches storage as a parameter: `Database(audit_chain_key=...)` puts it into every
session's `info`, where the sealer and `verify_chain` find it.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import THE_AGENCY, AuditChainEpoch, AuditChainPruning
from storage.models.base import AGENCY_KEY, NoAgency, utcnow
from storage.models.enums import AuditOutcome

GENESIS_HASH = "0" * 64
CHAIN_KEY = "audit_chain_key"
LEGACY_FORMAT = 1  # one event per person, sealed as appended (before revision 0013)
EVENT_FORMAT = 2  # the event with its persons, in the one chain (before revision 0021)
EVENT_MARKER = "audit-event-v2"
AGENCY_FORMAT = 3  # the event with its persons, in its agency's chain
AGENCY_MARKER = "audit-event-v3"
# The agency whose chain holds every seal, epoch and pruning from before revision 0021.
FIRST_CHAIN = THE_AGENCY
SEPARATOR = "\x1f"


class MissingChainKey(RuntimeError):
    """The session carries no key to seal the audit trail with."""


def session_info(key: bytes) -> dict[str, bytes]:
    """What a session's `info` holds for the audit trail: the key of its chain."""
    return {CHAIN_KEY: key}


def chain_agency(session: Session) -> int:
    """The agency whose chain a session extends or checks: the one it acts for."""
    agency: int | None = session.info.get(AGENCY_KEY)
    if agency is None:
        raise NoAgency("the audit chain is an agency's: this session acts for none")
    return agency


def chain_key(session: Session, key: bytes | None = None) -> bytes:
    """`key`, or else the session's; refuses a session without one."""
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
    """A format 1 seal: HMAC-SHA256 under `key`; plain SHA-256 before any key (key None)."""
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
    message = SEPARATOR.join(fields).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class EventFields(Protocol):
    """An audit event as a seal reads it: a model or a row of its columns."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def person_id(self) -> int | None: ...
    @property
    def purpose(self) -> str | None: ...
    @property
    def outcome(self) -> AuditOutcome: ...
    @property
    def target(self) -> str | None: ...


def seal_hash(
    *,
    key: bytes,
    agency: int | None,
    seq: int,
    previous_hash: str,
    event: EventFields,
    person_ids: Iterable[int],
) -> str:
    """A seal of format 3: the event with every person it concerns, at its place in its
    agency's chain; format 2 (agency None): the same in the one chain before revision 0021."""
    fields = [AGENCY_MARKER, str(agency)] if agency is not None else [EVENT_MARKER]
    fields += [
        str(seq),
        previous_hash,
        str(event.id),
        event.at.isoformat(timespec="microseconds"),
        event.actor,
        event.action,
        "" if event.person_id is None else str(event.person_id),
        event.purpose or "",
        event.outcome.value,
        event.target or "",
        ",".join(str(person_id) for person_id in sorted(person_ids)),
    ]
    return hmac.new(key, SEPARATOR.join(fields).encode(), hashlib.sha256).hexdigest()


def epoch_seal(key: bytes, keyed_after_seq: int, agency: int | None) -> str:
    """The MAC of an epoch's boundary in `agency`'s chain (None: in the one chain before
    revision 0021)."""
    message = f"keyed after {keyed_after_seq}" + _in_chain(agency)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def sealed_by(epoch: AuditChainEpoch, key: bytes, agency: int) -> bool:
    return _one_of(epoch.seal, agency, lambda chain: epoch_seal(key, epoch.keyed_after_seq, chain))


def pruning_seal(
    key: bytes, pruned_through_seq: int, last_hash: str, pruned_count: int, agency: int | None
) -> str:
    message = f"pruned through {pruned_through_seq} {last_hash} {pruned_count}" + _in_chain(agency)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def pruning_sealed_by(pruning: AuditChainPruning, key: bytes, agency: int) -> bool:
    return _one_of(
        pruning.seal,
        agency,
        lambda chain: pruning_seal(
            key, pruning.pruned_through_seq, pruning.last_hash, pruning.pruned_count, chain
        ),
    )


def _in_chain(agency: int | None) -> str:
    return "" if agency is None else f" in the chain of agency {agency}"


def _one_of(seal: str, agency: int, expected: Callable[[int | None], str]) -> bool:
    """Whether `seal` is the MAC of a boundary in `agency`'s chain, or, in the first chain, of
    one written before it was an agency's."""
    if hmac.compare_digest(seal, expected(agency)):
        return True
    return agency == FIRST_CHAIN and hmac.compare_digest(seal, expected(None))


def chain_start(session: Session) -> AuditChainPruning | None:
    """The latest pruning of the session's agency's chain: the chain goes on from its last hash
    (None: from the genesis)."""
    return session.scalar(
        select(AuditChainPruning)
        .order_by(AuditChainPruning.pruned_through_seq.desc(), AuditChainPruning.id.desc())
        .limit(1)
    )


def newest_epoch(session: Session) -> AuditChainEpoch | None:
    return session.scalar(select(AuditChainEpoch).order_by(AuditChainEpoch.id.desc()).limit(1))


def ensure_epoch(session: Session, key: bytes, last_seq: int) -> None:
    """Starts an epoch for `key` after `last_seq` in the session's agency's chain unless the
    newest one is already its own."""
    agency = chain_agency(session)
    newest = newest_epoch(session)
    if newest is not None and sealed_by(newest, key, agency):
        return
    session.add(
        AuditChainEpoch(
            agency_id=agency,
            keyed_after_seq=last_seq,
            seal=epoch_seal(key, last_seq, agency),
            created_at=utcnow(),
        )
    )
    session.flush()


def sealed_by_session_key(*, session: Session) -> bool | None:
    """Whether the newest epoch of the chain is the session key's (None: no epoch yet)."""
    newest = newest_epoch(session)
    return None if newest is None else sealed_by(newest, chain_key(session), chain_agency(session))
