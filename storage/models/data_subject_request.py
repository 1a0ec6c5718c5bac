"""Data-subject requests (GDPR Art 15-18) and the disclosures Art 19 is driven from."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import NEVER_REUSED_IDS, AgencyOwned, Base, str_enum, utcnow
from storage.models.enums import (
    AnswerDelivery,
    LegalBasis,
    ObjectionScope,
    RecipientKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
)


class DataSubjectRequest(AgencyOwned, Base):
    __tablename__ = "data_subject_requests"
    __table_args__ = (
        # Generated when the filing form opens, so that a form sent twice files one request.
        Index(
            "ix_data_subject_requests_agency_id_filing_key", "agency_id", "filing_key", unique=True
        ),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    person_reference: Mapped[str | None] = mapped_column(String(12))
    requester_name: Mapped[str | None] = mapped_column(String(200))
    requester_contact: Mapped[str | None] = mapped_column(String(254))
    channel: Mapped[RequestChannel] = mapped_column(str_enum(RequestChannel))
    language: Mapped[str] = mapped_column(String(2), default="fi")
    received_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    extended_due_on: Mapped[date | None]
    extension_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus), default=RequestStatus.RECEIVED, index=True
    )
    identity_verified_at: Mapped[datetime | None]
    identity_verification: Mapped[str | None] = mapped_column(String(200))
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    details: Mapped[str | None] = mapped_column(Text)
    filing_key: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(Text)
    # An objection's scope, chosen when it is decided (Art 21(3) or 21(1)).
    objection_scope: Mapped[ObjectionScope | None] = mapped_column(str_enum(ObjectionScope))
    fulfilled_at: Mapped[datetime | None]
    # How and on which day the answer reached the data subject: recording it completes the
    # request.
    answer_delivery: Mapped[AnswerDelivery | None] = mapped_column(str_enum(AnswerDelivery))
    answered_on: Mapped[date | None]
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Disclosure(AgencyOwned, Base):
    __tablename__ = "disclosures"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    recipient_kind: Mapped[RecipientKind] = mapped_column(str_enum(RecipientKind))
    categories: Mapped[list[Any]] = mapped_column(JSON)
    disclosed_at: Mapped[datetime] = mapped_column(default=utcnow)
    legal_basis: Mapped[LegalBasis] = mapped_column(str_enum(LegalBasis))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))


class RequestAlert(AgencyOwned, Base):
    """A controller's direct message about a request, updated in place as the request moves."""

    __tablename__ = "request_alerts"
    __table_args__ = (UniqueConstraint("request_id", "slack_user_id"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("data_subject_requests.id", ondelete="CASCADE"), index=True
    )
    slack_user_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))


class Erasure(AgencyOwned, Base):
    """A person erased (Art 17), by id and key only, so the erasure can be applied again after
    a backup restore, to that person and nobody else. Erasures recorded before persons had
    keys have none."""

    __tablename__ = "erasures"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(index=True)
    person_key: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    person_reference: Mapped[str] = mapped_column(String(12))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_subject_requests.id", ondelete="SET NULL")
    )
    erased_by: Mapped[str] = mapped_column(String(32))
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
