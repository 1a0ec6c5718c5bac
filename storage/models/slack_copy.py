"""Copies of the register's data that the bot left in Slack: the files it uploaded and the
messages that name a person, so that each is deleted or loses the name when its purpose ends."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import NEVER_REUSED_IDS, AgencyOwned, Base, str_enum, utcnow
from storage.models.enums import SlackFileKind


class SlackFile(AgencyOwned, Base):
    """A file the bot uploaded to Slack, kept in Slack until `keep_until` at the latest."""

    __tablename__ = "slack_files"
    __table_args__ = (UniqueConstraint("agency_id", "slack_file_id"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_file_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[SlackFileKind] = mapped_column(str_enum(SlackFileKind))
    # The staff member it was uploaded for (the direct message it is in).
    uploaded_for: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_subject_requests.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    keep_until: Mapped[datetime] = mapped_column(index=True)
    deleted_at: Mapped[datetime | None]


class SlackFilePerson(AgencyOwned, Base):
    """A person whose data a file in Slack holds: the file goes when the person is erased."""

    __tablename__ = "slack_file_persons"
    __table_args__ = (UniqueConstraint("file_id", "person_id"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("slack_files.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)


class SlackMessage(AgencyOwned, Base):
    """A message the bot posted that names a person: what it was (the outbox kind and params it
    was rendered from, no personal data) and where, so it can be rendered again without them."""

    __tablename__ = "slack_messages"
    __table_args__ = (
        UniqueConstraint("agency_id", "channel_id", "message_ts"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    redacted_at: Mapped[datetime | None]


class SlackMessagePerson(AgencyOwned, Base):
    """A person a message in Slack names: the message loses the name when the person is erased."""

    __tablename__ = "slack_message_persons"
    __table_args__ = (UniqueConstraint("message_id", "person_id"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("slack_messages.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
