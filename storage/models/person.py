"""A person in the register and the facts kept beside them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import NEVER_REUSED_IDS, AgencyOwned, Base, str_enum, utcnow
from storage.models.enums import (
    ConsentPurpose,
    DataSource,
    Education,
    EmploymentStatus,
    Gender,
    HeardFrom,
    LabourMarketPosition,
    LegalBasis,
    RelationshipKind,
)


class Person(AgencyOwned, Base):
    __tablename__ = "persons"
    __table_args__ = (
        UniqueConstraint("agency_id", "reference"),
        # From the new-person form's view: the same form sent twice creates one person.
        Index("ix_persons_agency_id_creation_key", "agency_id", "creation_key", unique=True),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12))
    # Random, set at creation, never shown: what an erasure record names the person by, as no
    # other person can ever have it (an id can come back with a restored sequence).
    person_key: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4, index=True, unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    search_name: Mapped[str] = mapped_column(String(300), default="", server_default="")
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    street_address: Mapped[str | None] = mapped_column(String(200), info={"multiline": True})
    postal_code: Mapped[str | None] = mapped_column(String(5))
    post_office: Mapped[str | None] = mapped_column(String(100))
    municipality: Mapped[str | None] = mapped_column(String(100))
    nationality: Mapped[str | None] = mapped_column(String(2))
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender))
    # Indexed for the duplicate rule (same name and birth date), which an import applies to
    # thousands of lines at a time.
    birth_date: Mapped[date | None] = mapped_column(index=True)
    education: Mapped[Education | None] = mapped_column(str_enum(Education))
    employment_status: Mapped[EmploymentStatus | None] = mapped_column(str_enum(EmploymentStatus))
    labour_market_position: Mapped[LabourMarketPosition | None] = mapped_column(
        str_enum(LabourMarketPosition)
    )
    heard_from: Mapped[HeardFrom | None] = mapped_column(str_enum(HeardFrom))
    heard_from_text: Mapped[str | None] = mapped_column(String(500), info={"multiline": True})
    source: Mapped[DataSource] = mapped_column(str_enum(DataSource), default=DataSource.PERSON)
    responsible_advisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL")
    )
    restricted: Mapped[bool] = mapped_column(default=False)
    restriction_reason: Mapped[str | None] = mapped_column(Text)
    restricted_since: Mapped[datetime | None]
    retention_hold_until: Mapped[date | None]
    retention_hold_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    creation_key: Mapped[str | None] = mapped_column(String(100))

    phone_numbers: Mapped[list[PhoneNumber]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    relationships: Mapped[list[Relationship]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


# For the retention review, which looks for the long inactive: with the hold and the id in it,
# the index alone answers (SQLite keeps the id in every index).
Index(
    "ix_persons_last_activity_at",
    Person.last_activity_at,
    Person.retention_hold_until,
    postgresql_include=["id"],
)


class PhoneNumber(AgencyOwned, Base):
    __tablename__ = "phone_numbers"
    __table_args__ = (UniqueConstraint("person_id", "number"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(20), index=True)

    person: Mapped[Person] = relationship(back_populates="phone_numbers")


class Relationship(AgencyOwned, Base):
    __tablename__ = "relationships"
    __table_args__ = (
        # For the retention review: memberships that ended long enough ago, and whether a
        # person's relationships keep them, from the index alone.
        Index("ix_relationships_kind_ended_on_person_id", "kind", "ended_on", "person_id"),
        Index("ix_relationships_person_id_kind_ended_on", "person_id", "kind", "ended_on"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    kind: Mapped[RelationshipKind] = mapped_column(str_enum(RelationshipKind))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    legal_basis: Mapped[LegalBasis] = mapped_column(str_enum(LegalBasis))

    person: Mapped[Person] = relationship(back_populates="relationships")


class Consent(AgencyOwned, Base):
    __tablename__ = "consents"
    __table_args__ = NEVER_REUSED_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(str_enum(ConsentPurpose))
    given_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship(back_populates="consents")


class DistinctPerson(AgencyOwned, Base):
    """Two persons whose details match, whom staff found not to be the same person and saved
    anyway: the duplicate check leaves the pair alone from then on. A row each way, so that each
    person's rows are theirs (and in their access package); both go with either person."""

    __tablename__ = "distinct_persons"
    __table_args__ = (UniqueConstraint("person_id", "other_person_id"), NEVER_REUSED_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    other_person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
