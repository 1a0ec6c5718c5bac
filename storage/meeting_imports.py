"""Bringing in the meetings of the register an agency kept before, after its persons
(`storage.imports`), a batch at a time in the caller's transaction.

A meeting names its person by public reference or e-mail, and its advisor by Slack user id. A
meeting with a restricted person is refused: their data is only stored (Art 18).
Its idempotency key is derived from what the line says, so the same file brought in again
creates nothing. Each meeting brought in gets one audit event with the purpose `import`, and
moves its person's last activity up to it.
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.bulk import among, insert_rows
from storage.imports import IMPORT_ACTOR, KEY_PREFIX
from storage.models import Meeting, Person, Staff
from storage.models.enums import MeetingKind, Purpose
from storage.models.text_guard import refuse_control_characters_in


@dataclass(frozen=True)
class MeetingRow:
    """A line of a meetings file, checked: whom it was with, by a public reference (`R-7K3Q9`)
    or an e-mail, and who the advisor was, by Slack user id (None: not known)."""

    line: int
    person: str
    advisor: str | None
    occurred_at: datetime
    duration_minutes: int | None
    kind: MeetingKind
    topic: str | None
    notes: str | None
    follow_up_on: date | None


class MeetingProblem(StrEnum):
    NO_SUCH_PERSON = "no_such_person"
    SEVERAL_PERSONS = "several_persons"  # an e-mail more than one person has
    NO_SUCH_ADVISOR = "no_such_advisor"
    PERSON_RESTRICTED = "person_restricted"  # only stored (Art 18): nothing is added to them


@dataclass(frozen=True)
class RefusedMeeting:
    line: int
    field: str  # "person" or "advisor"
    problem: MeetingProblem


@dataclass(frozen=True)
class SkippedMeeting:
    """A line brought in before (`of_line` None), or repeating an earlier line of the file."""

    line: int
    of_line: int | None = None


@dataclass
class MeetingBatch:
    imported: list[int] = field(default_factory=list)  # lines
    skipped: list[SkippedMeeting] = field(default_factory=list)
    refused: list[RefusedMeeting] = field(default_factory=list)


def meeting_key(row: MeetingRow, person_id: int, advisor_id: int | None) -> str:
    """The meeting's idempotency key, from what the line says about it."""
    content = [
        person_id,
        row.occurred_at.astimezone(UTC).isoformat(),
        row.duration_minutes,
        row.kind,
        row.topic,
        row.notes,
        row.follow_up_on,
        advisor_id,
    ]
    text = json.dumps(content, default=str, ensure_ascii=False)
    return KEY_PREFIX + hashlib.sha256(text.encode()).hexdigest()


class MeetingImport:
    """One file's meetings, batch by batch, each saved once however often the file comes in."""

    def __init__(self, *, dry_run: bool, actor: str = IMPORT_ACTOR) -> None:
        self.dry_run = dry_run
        self.actor = actor
        self._lines: dict[str, int] = {}

    def add(self, *, session: Session, rows: Sequence[MeetingRow]) -> MeetingBatch:
        batch = MeetingBatch()
        persons = _persons_named(session, {row.person for row in rows})
        advisors = _advisors(session, {row.advisor for row in rows if row.advisor})
        resolved: list[tuple[MeetingRow, int, int | None, str]] = []
        for row in rows:
            person = persons.get(_person_word(row.person))
            if not isinstance(person, int):
                problem = person or MeetingProblem.NO_SUCH_PERSON
                batch.refused.append(RefusedMeeting(row.line, "person", problem))
                continue
            advisor = advisors.get(row.advisor) if row.advisor else None
            if row.advisor and advisor is None:
                batch.refused.append(
                    RefusedMeeting(row.line, "advisor", MeetingProblem.NO_SUCH_ADVISOR)
                )
                continue
            resolved.append((row, person, advisor, meeting_key(row, person, advisor)))
        saved = set(
            session.scalars(
                select(Meeting.idempotency_key).where(
                    among(session, Meeting.idempotency_key, {key for *_, key in resolved})
                )
            )
        )
        to_create = []
        for row, person_id, advisor_id, key in resolved:
            if key in saved:
                batch.skipped.append(SkippedMeeting(row.line))
            elif key in self._lines:
                batch.skipped.append(SkippedMeeting(row.line, of_line=self._lines[key]))
            else:
                self._lines[key] = row.line
                to_create.append((row, person_id, advisor_id, key))
        batch.imported = [row.line for row, *_ in to_create]
        if not self.dry_run and to_create:
            _save_meetings(session, to_create, actor=self.actor)
        return batch


def _person_word(person: str) -> str:
    """A reference in capitals, an e-mail in lower case, as the register keeps them."""
    word = person.strip()
    return word.lower() if "@" in word else word.upper()


def _persons_named(session: Session, named: set[str]) -> dict[str, int | MeetingProblem]:
    words = {_person_word(word) for word in named}
    emails = {word for word in words if "@" in word}
    references = words - emails
    found: dict[str, int | MeetingProblem] = {}
    if references:
        by_reference = select(Person.reference, Person.id, Person.restricted).where(
            among(session, Person.reference, references)
        )
        found.update(
            {
                reference: MeetingProblem.PERSON_RESTRICTED if restricted else person_id
                for reference, person_id, restricted in session.execute(by_reference)
            }
        )
    if emails:
        by_email = select(Person.email, Person.id, Person.restricted).where(
            among(session, Person.email, emails)
        )
        for email, person_id, restricted in session.execute(by_email):
            if email is None:
                continue
            if email in found:
                found[email] = MeetingProblem.SEVERAL_PERSONS
            else:
                found[email] = MeetingProblem.PERSON_RESTRICTED if restricted else person_id
    return found


def _advisors(session: Session, slack_user_ids: set[str]) -> dict[str, int]:
    if not slack_user_ids:
        return {}
    query = select(Staff.slack_user_id, Staff.id).where(
        among(session, Staff.slack_user_id, slack_user_ids)
    )
    return {slack_user_id: staff_id for slack_user_id, staff_id in session.execute(query)}


def _save_meetings(
    session: Session, rows: Sequence[tuple[MeetingRow, int, int | None, str]], *, actor: str
) -> None:
    """The meetings, written a table at a time (past the ORM's events, so their texts are
    checked here), and each person's last activity moved up to their latest meeting."""
    meetings = [
        {
            "person_id": person_id,
            "advisor_id": advisor_id,
            "occurred_at": row.occurred_at,
            "duration_minutes": row.duration_minutes,
            "kind": row.kind,
            "topic": row.topic,
            "notes": row.notes,
            "follow_up_on": row.follow_up_on,
            "idempotency_key": key,
        }
        for row, person_id, advisor_id, key in rows
    ]
    refuse_control_characters_in(Meeting, meetings)
    insert_rows(session, Meeting, meetings)
    latest: dict[int, datetime] = {}
    for row, person_id, _, _ in rows:
        if person_id not in latest or row.occurred_at > latest[person_id]:
            latest[person_id] = row.occurred_at
    current = session.execute(
        select(Person.id, Person.last_activity_at).where(among(session, Person.id, latest))
    )
    moved = [
        {"id": person_id, "last_activity_at": latest[person_id]}
        for person_id, last_activity_at in current
        if latest[person_id] > last_activity_at
    ]
    if moved:
        session.execute(update(Person), moved)
    audit.record_bulk(
        session=session,
        actor=actor,
        action="meeting.import",
        person_ids=[person_id for _, person_id, _, _ in rows],
        purpose=Purpose.IMPORT,
    )
