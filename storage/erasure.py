"""Erasure (Art 17): what goes and what stays, the erasure itself, and its replay after a
backup restore.

What goes is found from the models (storage.personal_tables): every table with a row per fact
about the person. Requests stay with the person's public reference in place of the person
(Art 17(3)(b) and (e): the controller must be able to show how each request was handled), and
the audit trail stays, as it names the person by id only. A kept request loses the
requester's name, contact and the free text, so what stays is pseudonymous.

Copies in Slack go too: every file the bot uploaded that concerns the person is deleted from
Slack, and every message that names them is rendered again without the name, by the outbox
once the erasure commits (storage.slack_copies).

The erasure is recorded by the person's id and key. A replay after a restore erases a person
only when both match: an id can be given again (a restored sequence), a key never is.
"""

import itertools
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Executable, Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from storage import audit, slack_copies
from storage.errors import NotFound, PermissionDenied
from storage.models import AuditEventPerson, DataSubjectRequest, Erasure, Person
from storage.models.agency import THE_AGENCY
from storage.models.enums import Purpose
from storage.permissions import Permission
from storage.personal_tables import (
    BLANKED_ON_ERASURE,
    PERSON_TABLE,
    is_kept_on_erasure,
    model_of,
    person_column,
    tables_about_a_person,
)
from storage.requests import RecipientView, recipients_to_notify
from storage.staff import StaffMember
from storage.tenancy import agency_of, rows_of

logger = logging.getLogger(__name__)

REPLAY_ACTOR = "erasure_replay"
IDS_READ_AT_ONCE = 1000
SQLITE_SEARCH_OPTIMIZE = [
    f"INSERT INTO {table}({table}) VALUES ('optimize')"
    for table in ("persons_search", "persons_search_words_trigrams")
]


class KeptGround(StrEnum):
    """Art 17(3) grounds for what an erasure keeps."""

    ACCOUNTABILITY = "art_17_3_b_e"  # requests: showing how each was handled, legal claims
    AUDIT_TRAIL = "art_17_3_b"  # consultations, by person id only: the duty to log them


@dataclass(frozen=True)
class TableRows:
    table: str
    rows: int


@dataclass(frozen=True)
class KeptRows:
    table: str
    rows: int
    ground: KeptGround
    pseudonymised: bool  # the person's id replaced by their public reference


@dataclass(frozen=True)
class ErasurePlan:
    person_id: int
    person_reference: str
    deleted: list[TableRows]  # persons first, then each table about them that has rows
    kept: list[KeptRows]
    recipients: list[RecipientView]  # to be told of the erasure (Art 19)


@dataclass(frozen=True)
class ErasureDone:
    erasure_id: int
    person_reference: str
    recipients: list[RecipientView]


def _require(actor: StaffMember, purpose: Purpose = Purpose.DATA_SUBJECT_REQUEST) -> None:
    permission = (
        Permission.RETENTION_DECIDE
        if purpose is Purpose.RETENTION_REVIEW
        else Permission.REQUEST_WORK
    )
    if not actor.can(permission):
        raise PermissionDenied(permission.value)


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person")
    return person


def _count(session: Session, table: Table, person_id: int) -> int:
    condition = person_column(table) == person_id
    return session.scalar(select(func.count()).where(condition, rows_of(session, table))) or 0


def erasure_plan(*, session: Session, actor: StaffMember, person_id: int) -> ErasurePlan:
    """What erasing the person would delete and keep, and whom to tell; nothing changes."""
    _require(actor)
    person = _person(session, person_id)
    deleted = [TableRows(PERSON_TABLE, 1)]
    kept: list[KeptRows] = []
    for table in tables_about_a_person():
        rows = _count(session, table, person_id)
        if not rows:
            continue
        if is_kept_on_erasure(table):
            kept.append(KeptRows(table.name, rows, KeptGround.ACCOUNTABILITY, True))
        else:
            deleted.append(TableRows(table.name, rows))
    consultations = (
        session.scalar(select(func.count()).where(AuditEventPerson.person_id == person_id)) or 0
    )
    if consultations:
        kept.append(KeptRows("audit_events", consultations, KeptGround.AUDIT_TRAIL, False))
    return ErasurePlan(
        person_id=person_id,
        person_reference=person.reference,
        deleted=deleted,
        kept=kept,
        recipients=recipients_to_notify(session=session, person_id=person_id),
    )


def _delete_everything(session: Session, persons: Sequence[Person]) -> None:
    """Deletes the persons and everything about them, a statement per table for them all."""
    ids = [person.id for person in persons]
    reference = select(Person.reference).where(Person.id == DataSubjectRequest.person_id)
    session.execute(
        update(DataSubjectRequest)
        .where(DataSubjectRequest.person_id.in_(ids))
        .values(person_reference=reference.scalar_subquery())
    )
    for table in reversed(tables_about_a_person()):
        model = model_of(table)
        condition: ColumnElement[bool] = person_column(table).in_(ids)
        blanked = dict.fromkeys(BLANKED_ON_ERASURE.get(table.name, ()))
        statement: Executable = (
            update(model).where(condition).values(person_id=None, **blanked)
            if is_kept_on_erasure(table)
            else delete(model).where(condition)
        )
        session.execute(statement, execution_options={"synchronize_session": "fetch"})
    session.execute(
        delete(Person).where(Person.id.in_(ids)),
        execution_options={"synchronize_session": "fetch"},
    )
    session.flush()


def _merge_search_index(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        # The search indexes' deleted entries linger in their segments until they are merged.
        # The indexes are every agency's: merging them reads or changes no agency's rows.
        for optimize in SQLITE_SEARCH_OPTIMIZE:
            session.execute(text(optimize))


def erase(
    *,
    session: Session,
    actor: StaffMember,
    person_id: int,
    request_id: int | None,
    purpose: Purpose = Purpose.DATA_SUBJECT_REQUEST,
) -> ErasureDone:
    """Deletes the person and everything about them; keeps their requests under their public
    reference, records the erasure by id, and lists the recipients to tell. `purpose` is why:
    a data-subject request, or a retention review (then `request_id` is None)."""
    _require(actor, purpose)
    person = _person(session, person_id)
    recipients = recipients_to_notify(session=session, person_id=person_id)
    reference, key = person.reference, person.person_key
    slack_copies.remove_copies_of(session=session, person_id=person_id)
    _delete_everything(session, [person])
    _merge_search_index(session)
    erasure = Erasure(
        person_id=person_id,
        person_key=key,
        person_reference=reference,
        request_id=request_id,
        erased_by=actor.slack_user_id,
    )
    session.add(erasure)
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="person.erase",
        person_id=person_id,
        purpose=purpose,
    )
    return ErasureDone(erasure_id=erasure.id, person_reference=reference, recipients=recipients)


@dataclass(frozen=True)
class Replayed:
    erased: list[int]  # ids of the erased persons a restore brought back, erased again
    refused: list[int]  # ids now held by someone else, who was left alone


def _is_the_erased_person(person: Person, records: list["ErasureRecord"]) -> bool:
    """The person an erasure record names: the same key; for a record from before persons
    had keys, a person created before the erasure (anyone created later is someone else)."""
    for record in records:
        if record.person_key is not None:
            if record.person_key == person.person_key:
                return True
        elif person.created_at <= record.erased_at:
            return True
    return False


def replay_erasures(*, session: Session) -> Replayed:
    """Erases again every recorded person a backup restore brought back, and nobody else."""
    # Whoever holds an erased id (nearly always no one), by the ids a batch at a time: each read
    # goes through the primary key, however many persons there are.
    erased_ids = list(
        session.scalars(select(Erasure.person_id).distinct().order_by(Erasure.person_id))
    )
    holders = [
        person
        for start in range(0, len(erased_ids), IDS_READ_AT_ONCE)
        for person in session.scalars(
            select(Person)
            .where(Person.id.in_(erased_ids[start : start + IDS_READ_AT_ONCE]))
            .order_by(Person.id)
        )
    ]
    by_id: dict[int, list[ErasureRecord]] = {}
    for start in range(0, len(holders), IDS_READ_AT_ONCE):
        held = [person.id for person in holders[start : start + IDS_READ_AT_ONCE]]
        for row in session.execute(
            _RECORD_COLUMNS.where(Erasure.person_id.in_(held)).order_by(Erasure.id)
        ):
            by_id.setdefault(row.person_id, []).append(ErasureRecord(*row))
    back, refused = [], []
    for person in holders:
        if _is_the_erased_person(person, by_id[person.id]):
            back.append(person)
            continue
        logger.warning(
            "Erasure replay: person %d is not the person erased under that id; left alone",
            person.id,
        )
        refused.append(person.id)
    erased = [person.id for person in back]
    for person_id in erased:
        slack_copies.remove_copies_of(session=session, person_id=person_id)
    for start in range(0, len(back), IDS_READ_AT_ONCE):
        _delete_everything(session, back[start : start + IDS_READ_AT_ONCE])
    if erased:
        audit.record_many(
            session=session,
            actor=REPLAY_ACTOR,
            action="person.erase_replay",
            person_ids=erased,
            purpose=Purpose.DATA_SUBJECT_REQUEST,
        )
        _merge_search_index(session)
    return Replayed(erased=erased, refused=refused)


@dataclass(frozen=True, slots=True)
class ErasureRecord:
    """An erasure as kept outside the database: ids, key and pseudonym, no personal data. The
    key is None for an erasure recorded before persons had keys."""

    person_id: int
    person_key: uuid.UUID | None
    person_reference: str
    erased_at: datetime
    agency_id: int = THE_AGENCY  # a record from before agencies is the first agency's

    @property
    def identity(self) -> tuple[int, uuid.UUID | datetime]:
        """Tells one erasure from another: the key, or without one the moment."""
        return (self.person_id, self.erased_at if self.person_key is None else self.person_key)


# Fewer than SQLite's and PostgreSQL's limits on a statement's parameters.
IDS_PER_STATEMENT = 10_000
# Read as plain columns: a register's thousands of erasures need no tracked objects.
_RECORD_COLUMNS = select(
    Erasure.person_id,
    Erasure.person_key,
    Erasure.person_reference,
    Erasure.erased_at,
    Erasure.agency_id,
)


def erasure_records(*, session: Session) -> list[ErasureRecord]:
    """Every erasure recorded, oldest first."""
    rows = session.execute(_RECORD_COLUMNS.order_by(Erasure.id))
    return [ErasureRecord(*row) for row in rows]


def erasure_records_by_id(
    *, session: Session, erasure_ids: Iterable[int]
) -> Iterator[ErasureRecord]:
    """The erasures of these ids that are recorded, oldest first, as they are read: a batch of
    ids at a time (a whole register's erasure names more than one statement may carry)."""
    ids = [erasure_id for erasure_id, _ in itertools.groupby(sorted(erasure_ids))]
    for start in range(0, len(ids), IDS_PER_STATEMENT):
        batch = ids[start : start + IDS_PER_STATEMENT]
        rows = session.execute(_RECORD_COLUMNS.where(Erasure.id.in_(batch)).order_by(Erasure.id))
        yield from (ErasureRecord(*row) for row in rows)


def restore_erasure_records(*, session: Session, records: Iterable[ErasureRecord]) -> int:
    """Records again the erasures a restored backup had not yet heard of; how many. Each record
    is restored in its own agency: the session's records, not another agency's."""
    known = {record.identity for record in erasure_records(session=session)}
    agency = agency_of(session)
    added = 0
    for record in records:
        if record.identity in known or record.agency_id != agency:
            continue
        session.add(
            Erasure(
                person_id=record.person_id,
                person_key=record.person_key,
                person_reference=record.person_reference,
                erased_by=REPLAY_ACTOR,
                erased_at=record.erased_at,
            )
        )
        known.add(record.identity)
        added += 1
    session.flush()
    return added


def erasures_in(session: Session) -> list[int]:
    """The ids of the erasure records this session is about to insert: what an edge that keeps
    the erasure ledger notes after each flush."""
    return [row.id for row in session.new if isinstance(row, Erasure)]
