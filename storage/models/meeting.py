"""Meetings and other contacts an advisor logs with a person."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import NEVER_REUSED_IDS, AgencyOwned, Base, str_enum, utcnow
from storage.models.enums import MeetingKind


class Meeting(AgencyOwned, Base):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_person_id_occurred_at", "person_id", "occurred_at"),
        Index("ix_meetings_advisor_id_occurred_at", "advisor_id", "occurred_at"),
        UniqueConstraint("agency_id", "idempotency_key"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime]
    duration_minutes: Mapped[int | None]
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind))
    topic: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    idempotency_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
