"""The end of an agency's service (GDPR Art 28(3)(g)): its whole register returned to it as
files, or erased, at its admin's choice.

The export is a ZIP archive: a CSV file for each table of the register (every column, every row
of the agency), and `manifest.json` naming the agency, the moment and each file's row count.
The deployment's own machinery (its job periods, queues and idempotency records) is left out.
The export is a consultation of every person's data: one audit event links them all.

The erasure deletes every row of the agency's register, and puts up for deletion or redaction
every copy of it that the bot left in the agency's workspace (but for the export just made).
Each person erased is recorded by id, key and reference (the erasure ledger then holds them,
so a backup restored later is corrected by the erasure replay); the audit trail is sealed and
pruned whole, leaving the chain's end, and the agency's own settings are cleared. The agency
itself stays, marked erased: installing the bot again starts an empty register.
"""

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import IO, Any

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.orm import Session

from storage import audit, record_retention, slack_copies
from storage.agency_settings import SETTING_NAMES
from storage.audit_sealing import seal_pending
from storage.errors import NotFound
from storage.models import Agency, Base, Erasure, OutboxMessage, Person
from storage.models.base import AGENCY_KEY, utcnow
from storage.models.enums import OutboxKind, Purpose, SlackFileKind
from storage.slack_copies import Removal
from storage.spreadsheets import csv_bytes
from storage.tenancy import agency_of

OUTBOX_TABLE = OutboxMessage.__tablename__

MANIFEST = "manifest.json"
EXPORT_ACTION = "register.export"
ERASE_ACTION = "register.erase"
# The deployment's machinery, not the register: left out of the export.
MACHINERY = frozenset({"audit_pending", "handled_events", "job_runs", "outbox_messages"})
# Emptied by the audit trail's pruning, which leaves the chain's end verifiable.
PRUNED = frozenset({"audit_events", "audit_event_persons", "audit_seals", "audit_pending"})
# What stays of an erased register: the chain's end and the erasures by id (no personal data),
# which let the erasure replay erase again whoever a restored backup brings back; the records
# of the files and messages in Slack (ids, no personal data), until the outbox has deleted or
# redacted them.
KEPT = frozenset(
    {
        "audit_chain_epochs",
        "audit_chain_prunings",
        "erasures",
        "slack_files",
        "slack_messages",
        # Slack's deliveries already handled, the erasure's own among them (ids, kept a day).
        "handled_events",
    }
)
# What the outbox still has to do to the copies in Slack: kept with their records.
COPIES_IN_SLACK = (OutboxKind.SLACK_FILE_DELETE, OutboxKind.SLACK_MESSAGE_REDACT)
# The export the admin has just had stays in Slack its usual time (the slack-files job).
KEPT_IN_SLACK = (SlackFileKind.REGISTER_EXPORT,)
ROWS_PER_FETCH = 5000
# Erasure records added and flushed at a time: the unit of work holds each batch's objects.
ERASURES_PER_FLUSH = 1000


def register_tables() -> list[Table]:
    """Every table with a row per agency, parents before children; a table added later is
    covered without being listed here."""
    return [table for table in Base.metadata.sorted_tables if AGENCY_KEY in table.columns]


def exported_tables() -> list[Table]:
    return [table for table in register_tables() if table.name not in MACHINERY]


@dataclass(frozen=True)
class RegisterExport:
    agency: int
    generated_at: datetime
    rows: dict[str, int]  # table name: rows written

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _cell(value: Any) -> str | int | float | None:
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _rows(session: Session, table: Table) -> Iterator[tuple[Any, ...]]:
    order = list(table.primary_key.columns) or list(table.columns)
    statement = select(table).where(table.c[AGENCY_KEY] == agency_of(session)).order_by(*order)
    result = session.execute(statement.execution_options(yield_per=ROWS_PER_FETCH))
    for partition in result.partitions():
        yield from partition


def record_export(*, session: Session, actor: str) -> None:
    """The export is a consultation of every person's data: one audit event links them all."""
    audit.record_for_every_person(
        session=session,
        actor=actor,
        action=EXPORT_ACTION,
        purpose=Purpose.REGISTER_RETURN,
        target=str(_agency(session).id),
    )


def export_register(*, session: Session, out: IO[bytes]) -> RegisterExport:
    """Writes the register of the agency `session` acts for to `out` as a ZIP archive, table by
    table in batches (a national register's meetings never sit in memory at once). It only
    reads: on PostgreSQL give it a repeatable-read transaction, so that every table is read as
    of one moment (SQLite's read transactions are)."""
    agency = _agency(session)
    generated_at = utcnow()
    rows: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in exported_tables():
            header = [column.name for column in table.columns]
            count = 0
            with archive.open(f"{table.name}.csv", "w", force_zip64=True) as member:
                member.write(csv_bytes([header]))
                for row in _rows(session, table):
                    # Each row on its own, without the byte order mark of a file's start.
                    member.write(csv_bytes([[_cell(value) for value in row]])[3:])
                    count += 1
            rows[table.name] = count
        manifest = {
            "agency": {"id": agency.id, "name": agency.name, "slack_team_id": agency.slack_team_id},
            "generated_at": generated_at.isoformat(),
            "format": "CSV, UTF-8 with a byte order mark, ';' between fields",
            "files": {f"{name}.csv": count for name, count in rows.items()},
        }
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return RegisterExport(agency=agency.id, generated_at=generated_at, rows=rows)


@dataclass(frozen=True)
class RegisterErasure:
    agency: int
    erased_at: datetime
    persons: int
    rows: dict[str, int] = field(default_factory=dict)  # table name: rows deleted
    audit_events: int = 0  # pruned from the audit trail
    # The audit event where the chain is broken: the trail could not be pruned, and stays.
    audit_broken_at: int | None = None
    # The files and messages in the agency's workspace put up for deletion and redaction (none
    # when its workspace no longer has the bot).
    copies_in_slack: Removal = field(default_factory=lambda: Removal(files=0, messages=0))

    @property
    def total(self) -> int:
        return sum(self.rows.values()) + self.audit_events


def erase_register(*, session: Session, actor: str, key: bytes | None = None) -> RegisterErasure:
    """Erases the register of the agency `session` acts for. On PostgreSQL only the tables'
    owner may delete audit events: run it in the owner's transaction (DATABASE_OWNER_URL)."""
    agency = _agency(session)
    erased_at = utcnow()
    removal = (
        slack_copies.remove_every_copy(session=session, keep=KEPT_IN_SLACK)
        if agency.uninstalled_at is None
        else slack_copies.Removal(files=0, messages=0)
    )
    persons = _record_the_erasures(session, actor, erased_at)
    pruning = _prune_the_whole_trail(session, actor, key)
    rows: dict[str, int] = {}
    for table in reversed(register_tables()):
        if table.name in PRUNED | KEPT:
            continue
        statement = delete(table).where(table.c[AGENCY_KEY] == agency.id)
        if table.name == OUTBOX_TABLE:
            statement = statement.where(table.c.kind.not_in(COPIES_IN_SLACK))
        deleted = session.execute(statement)
        rows[table.name] = deleted.rowcount  # type: ignore[attr-defined]
    session.execute(
        update(Agency)
        .where(Agency.id == agency.id)
        .values(register_erased_at=erased_at, **dict.fromkeys(SETTING_NAMES))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    audit.record(session=session, actor=actor, action=ERASE_ACTION, target=str(agency.id), key=key)
    return RegisterErasure(
        agency=agency.id,
        erased_at=erased_at,
        persons=persons,
        rows=rows,
        audit_events=pruning.pruned,
        audit_broken_at=pruning.refused_at,
        copies_in_slack=removal,
    )


def _agency(session: Session) -> Agency:
    agency = session.get(Agency, agency_of(session))
    if agency is None:
        raise NotFound("agency")
    return agency


def _record_the_erasures(session: Session, actor: str, erased_at: datetime) -> int:
    """An erasure record for each person, as an erasure of one person leaves (storage.erasure),
    added through the session so that the erasure ledger hears of each; a batch at a time, so
    that a national register's persons never sit in the session at once."""
    recorded, after = 0, 0
    while True:
        batch = session.execute(
            select(Person.id, Person.person_key, Person.reference)
            .where(Person.id > after)
            .order_by(Person.id)
            .limit(ERASURES_PER_FLUSH)
        ).all()
        if not batch:
            return recorded
        erasures = [
            Erasure(
                person_id=person.id,
                person_key=person.person_key,
                person_reference=person.reference,
                erased_by=actor,
                erased_at=erased_at,
            )
            for person in batch
        ]
        session.add_all(erasures)
        session.flush()
        for erasure in erasures:
            session.expunge(erasure)
        recorded += len(batch)
        after = batch[-1].id


def _prune_the_whole_trail(
    session: Session, actor: str, key: bytes | None
) -> record_retention.Pruning:
    audit.take_chain_lock(session, wait=True)
    while seal_pending(session=session, key=key):
        pass
    # Everything recorded before this moment, the erasure records' events included.
    everything = utcnow() + timedelta(days=1)
    return record_retention.prune_audit_trail(
        session=session, older_than=everything, actor=actor, key=key
    )


def register_counts(*, session: Session) -> dict[str, int]:
    """How many rows each of the agency's tables holds (what `agencies list` shows)."""
    agency = agency_of(session)
    return {
        table.name: session.scalar(
            select(func.count()).select_from(table).where(table.c[AGENCY_KEY] == agency)
        )
        or 0
        for table in exported_tables()
    }


__all__ = [
    "ERASE_ACTION",
    "EXPORT_ACTION",
    "MANIFEST",
    "RegisterErasure",
    "RegisterExport",
    "erase_register",
    "export_register",
    "exported_tables",
    "record_export",
    "register_counts",
    "register_tables",
]
