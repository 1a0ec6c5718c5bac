"""Bringing in the persons of the register an agency kept before, a batch at a time (their
meetings: `storage.meeting_imports`).

Each batch runs in the caller's transaction (this module flushes, never commits), with one
look-up per kind of key for the whole batch. A person who duplicates someone in the register or
an earlier line of the same file, by the person form's own rule (`storage.persons`), is skipped
and named; so is a line brought in before, which its creation key recognises even when it has
no e-mail, phone or birth date: running the same file again creates nothing. Each person
brought in gets one audit event with the purpose `import`.
"""

import hashlib
import json
import secrets
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import audit
from storage.bulk import among, insert_rows
from storage.consents import GivenConsent
from storage.errors import ConsentRequired
from storage.models import Consent, Person, PhoneNumber, Relationship
from storage.models.base import utcnow
from storage.models.enums import LegalBasis, Purpose, RelationshipKind
from storage.models.person_search import search_name
from storage.models.text_guard import refuse_control_characters_in
from storage.persons import (
    COLUMN_NAMES,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    DuplicateKey,
    PersonFields,
    duplicate_keys,
    keys_of,
    matched_on,
)

# Who the audit trail says did it: the operator's command, not a staff member in Slack.
IMPORT_ACTOR = "import"
ALREADY_IMPORTED = "already_imported"
KEY_PREFIX = "import:"


@dataclass(frozen=True)
class PersonRow:
    """A line of the file, checked: the person and the relationship they are in."""

    line: int
    fields: PersonFields
    relationship_kind: RelationshipKind
    legal_basis: LegalBasis
    started_on: date | None = None
    consent: GivenConsent | None = None  # required on the legal basis of consent


@dataclass(frozen=True)
class Skipped:
    """A line left out: it repeats a person in the register (`reference`, None when that person
    is restricted and so not to be named) or an earlier line of the file (`of_line`).
    `matched_on` names the form's rules it matched (`email`, `phone_numbers`,
    `name_and_birth_date`), or `already_imported` (this very line was brought in before), or
    nothing when it is word for word an earlier line that no rule applies to."""

    line: int
    matched_on: tuple[str, ...]
    reference: str | None = None
    of_line: int | None = None
    person_id: int | None = None


@dataclass
class PersonBatch:
    # line and public reference (None in a dry run, where nothing is created)
    imported: list[tuple[int, str | None]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class _Known:
    id: int
    reference: str
    restricted: bool


def creation_key(row: PersonRow) -> str:
    """The same person on the same terms gives the same key, wherever the line stands."""
    content = [
        *(getattr(row.fields, name) for name in COLUMN_NAMES),
        sorted(set(row.fields.phone_numbers)),
        row.relationship_kind,
        row.legal_basis,
        row.started_on,
    ]
    if row.consent is not None:  # lines without one keep the keys they were brought in with
        content.append([row.consent.purpose, row.consent.given_on])
    text = json.dumps(content, default=str, ensure_ascii=False)
    return KEY_PREFIX + hashlib.sha256(text.encode()).hexdigest()


class PersonImport:
    """One file's persons, batch by batch. It remembers the keys of the lines before, so that a
    later line repeating one of them is skipped as a duplicate in the register would be."""

    def __init__(self, *, dry_run: bool, actor: str = IMPORT_ACTOR) -> None:
        self.dry_run = dry_run
        self.actor = actor
        self._lines: dict[DuplicateKey | str, int] = {}

    def add(self, *, session: Session, rows: Sequence[PersonRow]) -> PersonBatch:
        """Brings in the batch's new persons (none in a dry run) and says what it skipped."""
        batch = PersonBatch()
        keys = {row.line: keys_of(row.fields) for row in rows}
        creation_keys = {row.line: creation_key(row) for row in rows}
        already = _created_with(session, creation_keys.values())
        in_register = _register_matches(
            session, [k for row_keys in keys.values() for k in row_keys]
        )
        to_create: list[tuple[PersonRow, str]] = []
        for row in rows:
            row_keys, row_creation_key = keys[row.line], creation_keys[row.line]
            skipped = (
                self._earlier_line(row.line, row_keys, row_creation_key)
                or _brought_in_before(row.line, already.get(row_creation_key))
                or _in_register(row.line, row_keys, in_register)
            )
            for key in _with_creation_key(row_keys, row_creation_key):
                self._lines.setdefault(key, row.line)
            if skipped is None:
                to_create.append((row, row_creation_key))
            else:
                batch.skipped.append(skipped)
        if self.dry_run:
            batch.imported = [(row.line, None) for row, _ in to_create]
            return batch
        created = _create(session, to_create) if to_create else []
        batch.imported = [
            (row.line, reference)
            for (row, _), (_, reference) in zip(to_create, created, strict=True)
        ]
        audit.record_bulk(
            session=session,
            actor=self.actor,
            action="person.import",
            person_ids=[person_id for person_id, _ in created],
            purpose=Purpose.IMPORT,
        )
        # The register's persons that a line matched by the form's rule were looked up, and
        # the report names them; a line brought in before looked up only itself.
        matched = {
            skipped.person_id
            for skipped in batch.skipped
            if skipped.person_id is not None and skipped.matched_on != (ALREADY_IMPORTED,)
        }
        audit.record_bulk(
            session=session,
            actor=self.actor,
            action="person.import_duplicate",
            person_ids=sorted(matched),
            purpose=Purpose.IMPORT,
        )
        return batch

    def _earlier_line(
        self, line: int, keys: frozenset[DuplicateKey], row_creation_key: str
    ) -> Skipped | None:
        earlier = {
            key: self._lines[key]
            for key in _with_creation_key(keys, row_creation_key)
            if key in self._lines
        }
        if not earlier:
            return None
        first = min(earlier.values())
        shared = [key for key, at in earlier.items() if at == first and isinstance(key, tuple)]
        return Skipped(line=line, matched_on=matched_on(shared), of_line=first)


def _with_creation_key(
    keys: frozenset[DuplicateKey], row_creation_key: str
) -> list[DuplicateKey | str]:
    return [*keys, row_creation_key]


def _brought_in_before(line: int, known: _Known | None) -> Skipped | None:
    if known is None:
        return None
    return Skipped(
        line=line,
        matched_on=(ALREADY_IMPORTED,),
        reference=None if known.restricted else known.reference,
        person_id=known.id,
    )


def _in_register(
    line: int, keys: frozenset[DuplicateKey], in_register: dict[DuplicateKey, _Known]
) -> Skipped | None:
    matches = [in_register[key] for key in keys if key in in_register]
    if not matches:
        return None
    first = min(matches, key=lambda known: known.id)
    shared = [key for key in keys if in_register.get(key) == first]
    return Skipped(
        line=line,
        matched_on=matched_on(shared),
        reference=None if first.restricted else first.reference,
        person_id=first.id,
    )


def _created_with(session: Session, creation_keys: Iterable[str]) -> dict[str, _Known]:
    query = select(Person.creation_key, Person.id, Person.reference, Person.restricted).where(
        among(session, Person.creation_key, set(creation_keys))
    )
    return {
        row.creation_key: _Known(row.id, row.reference, row.restricted)
        for row in session.execute(query)
    }


def _register_matches(
    session: Session, keys: Collection[DuplicateKey]
) -> dict[DuplicateKey, _Known]:
    """Each key and the first person in the register (by id) who has it: three look-ups for
    the whole batch, whatever its size."""
    emails = {key[1] for key in keys if key[0] == "email"}
    phones = {key[1] for key in keys if key[0] == "phone_numbers"}
    named = [key for key in keys if key[0] == "name_and_birth_date"]
    # One indexed look-up per rule, rather than one scan for their OR.
    ids: set[int] = set()
    if emails:
        ids.update(session.scalars(select(Person.id).where(among(session, Person.email, emails))))
    if phones:
        ids.update(
            session.scalars(
                select(PhoneNumber.person_id).where(among(session, PhoneNumber.number, phones))
            )
        )
    if named:
        # Names that fold alike have the same search name: it narrows each birth date down
        # without deciding anything (the keys below do). It is compared here, as the search
        # name's trigram index would make the database's own comparison slow.
        named_on = {(date.fromisoformat(key[3]), search_name(key[1], key[2])) for key in named}
        born = select(Person.id, Person.birth_date, Person.search_name).where(
            among(session, Person.birth_date, {day for day, _ in named_on})
        )
        ids.update(
            person_id
            for person_id, birth_date, name in session.execute(born)
            if (birth_date, name) in named_on
        )
    if not ids:
        return {}
    candidates = session.execute(
        select(
            Person.id,
            Person.reference,
            Person.restricted,
            Person.first_name,
            Person.last_name,
            Person.email,
            Person.birth_date,
        )
        .where(among(session, Person.id, ids))
        .order_by(Person.id)
    ).all()
    numbers: dict[int, list[str]] = defaultdict(list)
    if candidates:
        phone_rows = session.execute(
            select(PhoneNumber.person_id, PhoneNumber.number).where(
                among(session, PhoneNumber.person_id, [candidate.id for candidate in candidates])
            )
        )
        for person_id, number in phone_rows:
            numbers[person_id].append(number)
    wanted = set(keys)
    found: dict[DuplicateKey, _Known] = {}
    for candidate in candidates:
        stored = duplicate_keys(
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            email=candidate.email,
            phone_numbers=numbers[candidate.id],
            birth_date=candidate.birth_date,
        )
        for key in stored & wanted:
            found.setdefault(key, _Known(candidate.id, candidate.reference, candidate.restricted))
    return found


def _reference() -> str:
    alphabet = len(REFERENCE_ALPHABET)
    code, number = [], secrets.randbelow(alphabet**REFERENCE_LENGTH)
    for _ in range(REFERENCE_LENGTH):
        number, digit = divmod(number, alphabet)
        code.append(REFERENCE_ALPHABET[digit])
    return "R-" + "".join(code)


def _new_references(session: Session, count: int) -> list[str]:
    """`count` public references no person has yet, with one look-up per round."""
    references: set[str] = set()
    while len(references) < count:
        drawn = {_reference() for _ in range(count - len(references))}
        taken = set(
            session.scalars(select(Person.reference).where(among(session, Person.reference, drawn)))
        )
        references |= drawn - taken
    return sorted(references)


def _create(session: Session, rows: Sequence[tuple[PersonRow, str]]) -> list[tuple[int, str]]:
    """The persons (id and reference), each with their relationship and no responsible
    advisor, written a table at a time. Their last activity is the start of that relationship
    where the file gives one, so that retention is counted from the person's history and not
    from the day of the import.

    The rows go past the ORM's events, so what those events do for a single person is done
    here: the search name is set, and the texts are checked for control characters."""
    if any(row.legal_basis == LegalBasis.CONSENT and row.consent is None for row, _ in rows):
        raise ConsentRequired("relationship")
    now = utcnow()
    references = _new_references(session, len(rows))
    persons = []
    for (row, key), reference in zip(rows, references, strict=True):
        values = {name: getattr(row.fields, name) for name in COLUMN_NAMES}
        values["email"] = (values["email"] or "").strip().lower() or None
        started = datetime.combine(row.started_on, time(), UTC) if row.started_on else now
        persons.append(
            {
                **values,
                "reference": reference,
                "creation_key": key,
                "search_name": search_name(row.fields.first_name, row.fields.last_name),
                "last_activity_at": started,
            }
        )
    refuse_control_characters_in(Person, persons)
    insert_rows(session, Person, persons)
    # Many rows without RETURNING go fastest on both databases; the references say the ids.
    query = select(Person.reference, Person.id).where(among(session, Person.reference, references))
    id_of = {reference: person_id for reference, person_id in session.execute(query)}
    ids = [id_of[reference] for reference in references]
    phones = [
        {"person_id": person_id, "number": number}
        for person_id, (row, _) in zip(ids, rows, strict=True)
        for number in sorted(set(row.fields.phone_numbers))
    ]
    insert_rows(session, PhoneNumber, phones)
    relationships = [
        {
            "person_id": person_id,
            "kind": row.relationship_kind,
            "legal_basis": row.legal_basis,
            "started_on": row.started_on or now.date(),
        }
        for person_id, (row, _) in zip(ids, rows, strict=True)
    ]
    insert_rows(session, Relationship, relationships)
    given = [
        {
            "person_id": person_id,
            "purpose": row.consent.purpose,
            "given_at": datetime.combine(row.consent.given_on, time(), UTC),
        }
        for person_id, (row, _) in zip(ids, rows, strict=True)
        if row.consent is not None
    ]
    insert_rows(session, Consent, given)
    return list(zip(ids, references, strict=True))
