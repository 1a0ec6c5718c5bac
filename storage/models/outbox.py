"""What the bot must say, written in the same transaction as the work it tells of, and the
Slack events already handled."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import NEVER_REUSED_IDS, AgencyOwned, Base, str_enum, utcnow
from storage.models.enums import OutboxKind, OutboxStatus


class OutboxMessage(AgencyOwned, Base):
    """One message to one recipient (a staff member or a channel), by kind and ids only: no
    personal data, the text is rendered when it is delivered."""

    __tablename__ = "outbox_messages"
    __table_args__ = (UniqueConstraint("agency_id", "key"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What and to whom: the same work done again finds its message already here.
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OutboxKind] = mapped_column(str_enum(OutboxKind))
    recipient: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_subject_requests.id", ondelete="CASCADE"), index=True
    )
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]


class HandledEvent(AgencyOwned, Base):
    """A Slack Events API delivery already handled: its retries are acknowledged and dropped."""

    __tablename__ = "handled_events"
    __table_args__ = (UniqueConstraint("agency_id", "event_id"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    handled_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
