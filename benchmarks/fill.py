"""A register filled with made-up people and meetings, for benchmarks to run against.

`filled_database(backend, persons=..., meetings=...)` gives a database of its own (a
temporary SQLite file, or a new PostgreSQL database on TEST_POSTGRES_URL's server), copied
from a filled one kept in the cache (benchmarks.cache) and migrated to the head, and drops it
again when the block ends. The first use of a size fills it with bulk inserts: 10,000,000
meetings are streamed in chunks, so memory stays that of the persons.

Besides persons, phones and meetings, the register has what the scheduled jobs work on:
relationships (some outlived), data-subject requests (some coming due), follow-ups (some due
on FILLED_ON) and erasures, with an erasure ledger that knows of a few more (persons a restore
brought back).
"""

from __future__ import annotations

import itertools
import random
import tempfile
import uuid
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, text

from benchmarks import cache
from benchmarks.names import (
    FIRST_NAMES,
    MUNICIPALITIES,
    SURNAME_ENDINGS,
    SURNAME_STEMS,
    SURNAMES,
)
from bot.runtime.erasure_ledger import line_of
from storage.db import Database
from storage.erasure import ErasureRecord
from storage.migrate import upgrade
from storage.models import (
    DataSubjectRequest,
    Erasure,
    Meeting,
    Person,
    PhoneNumber,
    Relationship,
    Staff,
)
from storage.models.enums import (
    AnswerDelivery,
    DataSource,
    LegalBasis,
    MeetingKind,
    RelationshipKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
    Role,
)
from storage.models.person_search import search_name, words
from storage.sequences import high_water_marks, raise_sequences

BACKENDS = ("sqlite", "postgresql")
# Raised whenever what a fill puts in changes, so that no cache of an older fill is used.
FILL_VERSION = 2
ADVISORS = [f"UBENCHADV{n:02d}" for n in range(10)]
CONTROLLER = "UBENCHCTRL"
# Finland's population register: Korhonen, the commonest surname, is borne by 0.42 % of
# people, and the frequency falls off slowly down the list (about rank ** -0.4). The rest of
# the people get a rarer surname from the long tail.
TOP_SURNAME_SHARE = 0.0042
SURNAME_FALL_OFF = 0.4
RESTRICTED_SHARE = 0.005
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
# The day the jobs' benchmark runs them for: follow-ups and request deadlines fall due on it.
FILLED_ON = NOW.date()
MEETING_SPAN_MINUTES = 5 * 365 * 24 * 60
# A meeting sets a follow-up this often, one day to two months after it.
FOLLOW_UP_SHARE = 0.05
FOLLOW_UP_DAYS = 60
# Of the persons: one in 200 has made a data-subject request in three years, one in 100 has
# been erased (their ids follow the persons'), and one in 10,000 was erased after the backup
# the register was restored from: only the erasure ledger knows of them.
REQUESTS_PER_PERSON = 1 / 200
ERASED_PER_PERSON = 1 / 100
BACK_PER_PERSON = 1 / 10_000
# A request left unanswered long past its due date (most are completed within the month).
FORGOTTEN_REQUEST_SHARE = 0.002
EXTENDED_REQUEST_SHARE = 0.1
CHUNK = 10_000
NO_MEETING = 2**31 - 1

# Seals the made-up register's audit trail.
CHAIN_KEY = b"made-up benchmark key that seals the audit trail"


@contextmanager
def filled_database(
    backend: str,
    *,
    persons: int,
    meetings: int,
    seed: int = 3,
    fresh: bool = False,
    ledger: Path | None = None,
) -> Iterator[Database]:
    """A copy of the filled register for this size and seed (filled once, then cached), and
    its erasure ledger copied to `ledger` if given; `fresh` fills the cache again."""
    size = cache.Size(persons=persons, meetings=meetings, seed=seed, version=FILL_VERSION)

    def fill(database: Database, ledger_path: Path) -> None:
        upgrade(database.engine)
        _fill(database, ledger_path, persons=persons, meetings=meetings, rng=random.Random(seed))

    with cache.database_copy(
        backend, size, fill=fill, fresh=fresh, ledger=ledger, chain_key=CHAIN_KEY
    ) as database:
        yield database


@contextmanager
def empty_database(backend: str) -> Iterator[Database]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="register-bench-") as directory:
            database = Database(
                f"sqlite:///{Path(directory) / 'register.db'}", audit_chain_key=CHAIN_KEY
            )
            upgrade(database.engine)
            try:
                yield database
            finally:
                database.dispose()
        return
    name = f"register_bench_{uuid.uuid4().hex[:8]}"
    with cache.admin_engine() as admin:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        database = Database(cache.database_url(name), audit_chain_key=CHAIN_KEY)
        try:
            upgrade(database.engine)
            yield database
        finally:
            database.dispose()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@dataclass
class _People:
    surnames: list[str]
    weights: list[float]

    @classmethod
    def make(cls) -> _People:
        tail = [stem + ending for stem in SURNAME_STEMS for ending in SURNAME_ENDINGS]
        tail = [name for name in dict.fromkeys(tail) if name not in SURNAMES]
        weights = [
            TOP_SURNAME_SHARE * rank**-SURNAME_FALL_OFF for rank in range(1, len(SURNAMES) + 1)
        ]
        weights += [(1 - sum(weights)) / len(tail)] * len(tail)
        return cls(surnames=SURNAMES + tail, weights=list(accumulate(weights)))


def _fill(
    database: Database, ledger: Path, *, persons: int, meetings: int, rng: random.Random
) -> None:
    with database.transaction() as session:
        staff = [Staff(slack_user_id=user, role=Role.ADVISOR) for user in ADVISORS]
        staff.append(Staff(slack_user_id=CONTROLLER, role=Role.CONTROLLER))
        session.add_all(staff)
        session.flush()
        advisor_ids = [member.id for member in staff]

    plan = _MeetingPlan.draw(persons, meetings, rng)
    person_rows, phone_rows = _persons(persons, plan.last_meetings(), rng)
    erased = _erasures(persons, rng)
    back = _back(person_rows, rng)
    # A transaction acting for the agency (storage.tenancy): its rows are stamped with it.
    with database.transaction() as session:
        connection = session.connection()
        _bulk_insert(connection, Person.__table__, person_rows)  # type: ignore[arg-type]
        _bulk_insert(connection, PhoneNumber.__table__, phone_rows)  # type: ignore[arg-type]
        _bulk_insert(connection, Meeting.__table__, plan.meetings(advisor_ids, rng))  # type: ignore[arg-type]
        _bulk_insert(connection, Relationship.__table__, _relationships(persons, rng))  # type: ignore[arg-type]
        _bulk_insert(connection, DataSubjectRequest.__table__, _requests(persons, rng))  # type: ignore[arg-type]
        _bulk_insert(connection, Erasure.__table__, erased)  # type: ignore[arg-type]
    _write_ledger(database, ledger, persons=persons, erased=erased, back=back)
    cache.analyze(database)


@dataclass
class _MeetingPlan:
    """Who each meeting was with and when (minutes before NOW), drawn before the persons, whose
    last activity they set; the rest of each meeting is drawn as it is written."""

    person_ids: array[int]
    minutes_ago: array[int]
    persons: int

    @classmethod
    def draw(cls, persons: int, meetings: int, rng: random.Random) -> _MeetingPlan:
        person_ids, minutes_ago = array("i"), array("i")
        for _ in range(meetings):
            # Squaring skews towards low ids: some people meet advisors far more often.
            person_ids.append(1 + int(rng.random() ** 2 * persons))
            minutes_ago.append(rng.randrange(MEETING_SPAN_MINUTES))
        return cls(person_ids=person_ids, minutes_ago=minutes_ago, persons=persons)

    def last_meetings(self) -> dict[int, datetime]:
        latest = array("i", [NO_MEETING]) * (self.persons + 1)
        for person_id, ago in zip(self.person_ids, self.minutes_ago, strict=True):
            if ago < latest[person_id]:
                latest[person_id] = ago
        return {
            person_id: NOW - timedelta(minutes=ago)
            for person_id, ago in enumerate(latest)
            if ago != NO_MEETING
        }

    def meetings(self, advisor_ids: Sequence[int], rng: random.Random) -> Iterator[dict[str, Any]]:
        kinds = list(MeetingKind)
        pairs = zip(self.person_ids, self.minutes_ago, strict=True)
        for number, (person_id, ago) in enumerate(pairs, start=1):
            occurred_at = NOW - timedelta(minutes=ago)
            follow_up_on = None
            if rng.random() < FOLLOW_UP_SHARE:
                follow_up_on = occurred_at.date() + timedelta(days=rng.randint(1, FOLLOW_UP_DAYS))
            yield dict(
                id=number,
                person_id=person_id,
                advisor_id=rng.choice(advisor_ids),
                occurred_at=occurred_at,
                duration_minutes=rng.choice((15, 30, 45, 60, 90)),
                kind=rng.choice(kinds).value,
                topic=None,
                notes=None,
                follow_up_on=follow_up_on,
                idempotency_key=f"bench-{number}",
                created_at=occurred_at,
            )


def _persons(
    count: int, last_meeting: dict[int, datetime], rng: random.Random
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    people = _People.make()
    persons: list[dict[str, Any]] = []
    phones: list[dict[str, Any]] = []
    emails: set[str] = set()
    numbers: set[str] = set()
    for person_id in range(1, count + 1):
        first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choices(people.surnames, cum_weights=people.weights)[0]
        created_at = NOW - timedelta(days=rng.randrange(6 * 365))
        persons.append(
            dict(
                id=person_id,
                person_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                reference=_reference(person_id),
                first_name=first_name,
                last_name=last_name,
                search_name=search_name(first_name, last_name),
                email=_email(first_name, last_name, emails, rng),
                municipality=rng.choice(MUNICIPALITIES),
                source=DataSource.PERSON.value,
                restricted=rng.random() < RESTRICTED_SHARE,
                created_at=created_at,
                updated_at=created_at,
                last_activity_at=last_meeting.get(person_id, created_at),
            )
        )
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            number = _phone(numbers, rng)
            phones.append(dict(id=len(phones) + 1, person_id=person_id, number=number))
    return persons, phones


def _relationships(persons: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Most persons are customers; some stakeholders or members (half of the memberships have
    ended); about one in eight has no relationship at all."""
    number = 0
    for person_id in range(1, persons + 1):
        draw = rng.random()
        if draw < 0.70:
            kinds = [RelationshipKind.CUSTOMER]
        elif draw < 0.80:
            kinds = [RelationshipKind.STAKEHOLDER]
        elif draw < 0.85:
            kinds = [RelationshipKind.MEMBER]
        elif draw < 0.87:
            kinds = [RelationshipKind.CUSTOMER, RelationshipKind.MEMBER]
        else:
            kinds = []
        for kind in kinds:
            number += 1
            started_on = FILLED_ON - timedelta(days=rng.randrange(6 * 365))
            ended_on = None
            if kind is RelationshipKind.MEMBER and rng.random() < 0.5:
                ended_on = started_on + timedelta(days=rng.randrange(30, 4 * 365))
                ended_on = None if ended_on >= FILLED_ON else ended_on
            yield dict(
                id=number,
                person_id=person_id,
                kind=kind.value,
                started_on=started_on,
                ended_on=ended_on,
                legal_basis=(
                    LegalBasis.LEGITIMATE_INTEREST
                    if kind is RelationshipKind.STAKEHOLDER
                    else LegalBasis.CONTRACT
                ).value,
            )


def _requests(persons: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Requests of three years, each due a month after it came: those of the last weeks are
    open, a few older ones forgotten, the rest answered."""
    unanswered = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.FULFILLED)
    for number in range(1, max(20, int(persons * REQUESTS_PER_PERSON)) + 1):
        received_on = FILLED_ON - timedelta(days=rng.randrange(3 * 365))
        due_on = received_on + timedelta(days=30)
        received_at = datetime.combine(received_on, datetime.min.time(), tzinfo=UTC)
        open_ = due_on > FILLED_ON - timedelta(days=15) or rng.random() < FORGOTTEN_REQUEST_SHARE
        answered_on = None if open_ else received_on + timedelta(days=rng.randrange(1, 30))
        status = (
            rng.choice(unanswered)
            if open_
            else rng.choice((RequestStatus.COMPLETED,) * 19 + (RequestStatus.REJECTED,))
        )
        extended = open_ and rng.random() < EXTENDED_REQUEST_SHARE
        yield dict(
            id=number,
            kind=rng.choice(list(RequestKind)).value,
            person_id=rng.randint(1, persons),
            channel=rng.choice(list(RequestChannel)).value,
            language="fi",
            received_on=received_on,
            due_on=due_on,
            extended_due_on=due_on + timedelta(days=60) if extended else None,
            extension_reason="Made-up: many requests at once." if extended else None,
            status=status.value,
            answer_delivery=None if answered_on is None else AnswerDelivery.EMAIL.value,
            answered_on=answered_on,
            completed_at=(
                None
                if answered_on is None
                else datetime.combine(answered_on, datetime.min.time(), tzinfo=UTC)
            ),
            created_at=received_at,
            updated_at=received_at,
        )


def _erasures(persons: int, rng: random.Random) -> list[dict[str, Any]]:
    """Erasures of persons who are gone: their ids come after the persons'."""
    rows = []
    for number in range(1, int(persons * ERASED_PER_PERSON) + 1):
        person_id = persons + number
        rows.append(
            dict(
                id=number,
                person_id=person_id,
                person_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                person_reference=_reference(person_id),
                request_id=None,
                erased_by=CONTROLLER,
                erased_at=NOW - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
            )
        )
    return rows


def _back(person_rows: list[dict[str, Any]], rng: random.Random) -> list[ErasureRecord]:
    """Persons erased after the backup the register was restored from: there again, with only
    the ledger to tell."""
    count = max(1, int(len(person_rows) * BACK_PER_PERSON))
    return [
        ErasureRecord(
            person_id=row["id"],
            person_key=row["person_key"],
            person_reference=row["reference"],
            erased_at=NOW - timedelta(minutes=rng.randrange(1, 7 * 24 * 60)),
        )
        for row in rng.sample(person_rows, count)
    ]


def _write_ledger(
    database: Database,
    ledger: Path,
    *,
    persons: int,
    erased: list[dict[str, Any]],
    back: list[ErasureRecord],
) -> None:
    """The ledger knows of every erasure; the database's persons sequence of the erased ids."""
    with database.transaction() as session:
        raise_sequences(session=session, marks={"persons": persons + len(erased)})
        marks = high_water_marks(session=session)
    records = [
        ErasureRecord(
            person_id=row["person_id"],
            person_key=row["person_key"],
            person_reference=row["person_reference"],
            erased_at=row["erased_at"],
        )
        for row in erased
    ]
    records.sort(key=lambda record: record.erased_at)
    with ledger.open("w", encoding="utf-8") as out:
        for record in [*records, *back]:
            out.write(line_of(record, marks))


def _reference(person_id: int) -> str:
    digits = []
    value = person_id
    for _ in range(5):
        value, digit = divmod(value, len(REFERENCE_ALPHABET))
        digits.append(REFERENCE_ALPHABET[digit])
    return "R-" + "".join(reversed(digits))


def _email(first_name: str, last_name: str, taken: set[str], rng: random.Random) -> str | None:
    if rng.random() < 0.1:
        return None
    local = ".".join(words(first_name) + words(last_name))
    domain = rng.choice(("example.fi", "example.com", "example.org"))
    address = f"{local}@{domain}"
    while address in taken:
        address = f"{local}{rng.randrange(1, 10_000)}@{domain}"
    taken.add(address)
    return address


def _phone(taken: set[str], rng: random.Random) -> str:
    while True:
        number = f"+358{rng.choice(('40', '41', '44', '45', '50'))}{rng.randrange(10**7):07d}"
        if number not in taken:
            taken.add(number)
            return number


def _bulk_insert(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Inserts the rows as they come, in chunks: a stream of millions never sits in memory."""
    stream = iter(rows)
    first = next(stream, None)
    if first is None:
        return
    columns = list(first)
    stream = itertools.chain([first], stream)
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        names = ", ".join(columns)
        last = 0
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in stream:
                copy.write_row([row[name] for name in columns])
                last = max(last, row["id"])
        connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :last)"),
            {"last": last},
        )
        return
    while chunk := list(itertools.islice(stream, CHUNK)):
        connection.execute(table.insert(), chunk)
