"""The append-only audit trail and the once-per-period guard of scheduled jobs."""

from datetime import datetime

from sqlalchemy import Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import NEVER_REUSED_IDS, AgencyOwned, Base, current_agency, str_enum
from storage.models.enums import AuditOutcome


class AuditEvent(AgencyOwned, Base):
    """One act: who did what, when, for which purpose. The persons it concerns are its
    AuditEventPerson rows; `person_id` names the person too when the act concerns exactly one.
    Its place in the chain and its hash are its AuditSeal, written shortly after."""

    __tablename__ = "audit_events"
    # A staff member's recent acts: the bulk look-up count reads them on every card opened.
    __table_args__ = (Index("ix_audit_events_actor_at", "actor", "at"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(index=True)
    purpose: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[AuditOutcome] = mapped_column(str_enum(AuditOutcome))
    # Whose staff role an act changed (a Slack user id), for staff.grant.* and staff.revoke.
    target: Mapped[str | None] = mapped_column(String(32), index=True)


class AuditEventPerson(AgencyOwned, Base):
    """A person an audit event concerns (no foreign key: it outlives an erasure)."""

    __tablename__ = "audit_event_persons"

    event_id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(primary_key=True, index=True)


class AuditPending(AgencyOwned, Base):
    """An event appended and not yet sealed: the sealer's queue."""

    __tablename__ = "audit_pending"

    event_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class AuditSeal(AgencyOwned, Base):
    """An event's place in its agency's chain: `seq` counts from 1 without gaps in each
    agency's chain, and `hash` is the HMAC of the event (its fields and persons) and of
    `previous_hash`, the seal before it. `format` says which message was hashed
    (storage.audit_chain)."""

    __tablename__ = "audit_seals"

    agency_id: Mapped[int] = mapped_column(primary_key=True, default=current_agency)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(unique=True)
    format: Mapped[int] = mapped_column(SmallInteger)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sealed_at: Mapped[datetime]


class AuditChainEpoch(AgencyOwned, Base):
    """From which place on its agency's chain is sealed with a key: the seals after
    `keyed_after_seq`, up to the agency's next epoch, carry HMACs under the key whose MAC of
    the boundary is `seal`."""

    __tablename__ = "audit_chain_epochs"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    keyed_after_seq: Mapped[int]
    seal: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class JobRun(AgencyOwned, Base):
    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("agency_id", "job", "period"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class AuditChainPruning(AgencyOwned, Base):
    """An agency's audit events sealed up to `pruned_through_seq` in its chain were deleted past
    their retention: its chain now starts from `last_hash`, the last deleted event's hash, and
    `pruned_count` events in all have gone before it. `seal` is an HMAC of the three (and of the
    agency) under the chain's key, so that no one without it can cut the trail and call it
    pruned."""

    __tablename__ = "audit_chain_prunings"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    pruned_through_seq: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))
    pruned_count: Mapped[int]
    seal: Mapped[str] = mapped_column(String(64))
    pruned_at: Mapped[datetime]
