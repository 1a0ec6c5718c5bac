"""The Art 15 access package: every row the register holds about a person, the dates and
purposes of the consultations of their data, and what the register description tells them,
as JSON for machines (every value, with a legend of what each code means) and as a
self-contained HTML page the person reads without a glossary (storage.access_package_html).

The rows are read column by column from the models (storage.personal_tables), so a column or a
table added later is in the package without anyone listing it here.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound, PermissionDenied
from storage.models import (
    AuditEvent,
    AuditEventPerson,
    Base,
    Person,
    SlackFile,
    SlackFilePerson,
    SlackMessage,
    SlackMessagePerson,
)
from storage.models.base import table_of, utcnow
from storage.models.enums import AuditOutcome, ConsentPurpose, Purpose
from storage.permissions import Permission
from storage.personal_tables import PERSON_TABLE, person_column, tables_about_a_person
from storage.register_description import (
    Descriptions,
    PeriodsInForce,
    RegisterDescription,
    load_descriptions,
    retention_sentences,
)
from storage.staff import StaffMember
from storage.tenancy import rows_of
from storage.vocabulary import COLUMN_VALUES, COLUMNS, CONSULTATIONS, VALUES, Words

LANGUAGES = ("fi", "en")
DEFAULT_ZONE = ZoneInfo("Europe/Helsinki")
# Not the person's data: a folded copy of their name kept only for search, the random key an
# erasure record names the person by (never shown), and the technical keys that stop a retried
# request from creating a person or logging a meeting twice.
LEFT_OUT = frozenset(
    {
        ("persons", "search_name"),
        ("persons", "person_key"),
        ("persons", "creation_key"),
        ("meetings", "idempotency_key"),
    }
)
# What a copy of the person's data left in Slack is, without where it is or for whom.
SLACK_FILE_COLUMNS = ("id", "kind", "uploaded_at", "keep_until", "deleted_at")
SLACK_MESSAGE_COLUMNS = ("id", "posted_at", "redacted_at")

TIMES = Words("Times are in UTC, as ISO 8601.", "Ajat ovat UTC-aikaa, ISO 8601 -muodossa.")

Row = dict[str, Any]


@dataclass(frozen=True)
class Consultation:
    at: datetime
    action: str
    purpose: str | None


@dataclass(frozen=True)
class Objection:
    """An objection (Art 21) or a refusal: recorded as a consent row withdrawn the moment it
    was given, it is told as what it is."""

    purpose: ConsentPurpose
    since: datetime


@dataclass(frozen=True)
class AccessPackage:
    person_reference: str
    language: str
    generated_at: datetime
    data: dict[str, list[Row]]  # table name → rows, column name → value as stored
    consultations: list[Consultation]
    description: RegisterDescription
    periods: PeriodsInForce = field(default_factory=PeriodsInForce)
    zone: ZoneInfo = DEFAULT_ZONE

    @property
    def objections(self) -> list[Objection]:
        return [
            Objection(ConsentPurpose(row["purpose"]), row["given_at"])
            for row in self.data.get("consents", [])
            if is_objection(row)
        ]

    @property
    def information(self) -> dict[str, Any]:
        """The register description with the periods in force written in."""
        information = self.description.model_dump()
        information["retention"] = retention_sentences(self.description, self.periods)
        information["copies_in_slack"] = self.description.copies_in_slack.format(
            days=self.periods.slack_file_days
        )
        return information


def is_objection(consent: Row) -> bool:
    return consent["withdrawn_at"] is not None and consent["withdrawn_at"] == consent["given_at"]


def _rows(session: Session, table: Table, condition: Any) -> list[Row]:
    columns = [c for c in table.columns if (table.name, c.name) not in LEFT_OUT]
    query = (
        select(*columns)
        .where(condition, rows_of(session, table))
        .order_by(*table.primary_key.columns)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def _copies_in_slack(session: Session, person_id: int) -> dict[str, list[Row]]:
    files = select(*(SlackFile.__table__.c[name] for name in SLACK_FILE_COLUMNS)).where(
        rows_of(session, table_of(SlackFile)),
        SlackFile.id.in_(
            select(SlackFilePerson.file_id).where(SlackFilePerson.person_id == person_id)
        ),
    )
    messages = select(*(SlackMessage.__table__.c[name] for name in SLACK_MESSAGE_COLUMNS)).where(
        rows_of(session, table_of(SlackMessage)),
        SlackMessage.id.in_(
            select(SlackMessagePerson.message_id).where(SlackMessagePerson.person_id == person_id)
        ),
    )
    return {
        "slack_files": [dict(r._mapping) for r in session.execute(files.order_by(SlackFile.id))],
        "slack_messages": [
            dict(r._mapping) for r in session.execute(messages.order_by(SlackMessage.id))
        ],
    }


def record_access_package(*, session: Session, actor: StaffMember, person_id: int) -> None:
    """Audits the package as one read with purpose data_subject_request, when it is decided on:
    building it again to deliver it is not another consultation."""
    if not actor.can(Permission.REQUEST_WORK):
        raise PermissionDenied(Permission.REQUEST_WORK.value)
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.access_package",
        person_id=person_id,
        purpose=Purpose.DATA_SUBJECT_REQUEST,
    )


def build_access_package(
    *,
    session: Session,
    actor: StaffMember,
    person_id: int,
    language: str,
    audited: bool = True,
    periods: PeriodsInForce | None = None,
    descriptions: Descriptions | None = None,
    zone: ZoneInfo = DEFAULT_ZONE,
) -> AccessPackage:
    """Everything about the person; the read is audited (record_access_package) unless
    `audited` is False. `periods`: the retention periods the settings set; `descriptions`:
    the agency's register description (default: the shipped one); `zone`: the agency's."""
    if not actor.can(Permission.REQUEST_WORK):
        raise PermissionDenied(Permission.REQUEST_WORK.value)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    if audited:
        record_access_package(session=session, actor=actor, person_id=person_id)
    persons = Base.metadata.tables[PERSON_TABLE]
    data = {PERSON_TABLE: _rows(session, persons, persons.c.id == person_id)}
    for table in tables_about_a_person():
        column = person_column(table)
        data[table.name] = _rows(session, table, column == person_id)
    data.update(_copies_in_slack(session, person_id))
    events = session.execute(
        select(AuditEvent.at, AuditEvent.action, AuditEvent.purpose)
        .join(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
        .where(
            AuditEventPerson.person_id == person_id,
            AuditEvent.outcome == AuditOutcome.ALLOWED,
            # An id once held by someone else (a restored sequence) brings none of theirs.
            AuditEvent.at >= person.created_at,
        )
        .order_by(AuditEvent.id)
    )
    language = language if language in LANGUAGES else LANGUAGES[0]
    return AccessPackage(
        person_reference=person.reference,
        language=language,
        generated_at=utcnow(),
        data=data,
        consultations=[Consultation(at, action, purpose) for at, action, purpose in events],
        description=(descriptions or load_descriptions()).in_(language),
        periods=periods or PeriodsInForce(),
        zone=zone,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _words(table: dict[str, Words], language: str) -> dict[str, str]:
    return {code: words.in_(language) for code, words in table.items()}


def legend(language: str) -> dict[str, Any]:
    """What each column and each code of the JSON means, in the package's language."""
    return {
        "columns": {table: _words(columns, language) for table, columns in COLUMNS.items()},
        "values": {
            f"{table}.{column}": _words(VALUES[enumeration], language)
            for (table, column), enumeration in COLUMN_VALUES.items()
        },
        "consultations.action": _words(CONSULTATIONS, language),
        "consultations.purpose": _words(VALUES[Purpose], language),
        "times": TIMES.in_(language),
    }


def to_json(package: AccessPackage) -> str:
    document = {
        "person_reference": package.person_reference,
        "language": package.language,
        "generated_at": package.generated_at.isoformat(),
        "time_zone": str(package.zone),
        "data": {
            name: [{column: _plain(value) for column, value in row.items()} for row in rows]
            for name, rows in package.data.items()
        },
        "objections": [
            {"purpose": o.purpose.value, "since": o.since.isoformat()} for o in package.objections
        ],
        "consultations": [
            {"at": c.at.isoformat(), "action": c.action, "purpose": c.purpose}
            for c in package.consultations
        ],
        "information": package.information,
        "legend": legend(package.language),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
