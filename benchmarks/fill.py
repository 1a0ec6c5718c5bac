"""A register filled with made-up people and meetings, for benchmarks to run against.

`filled_database(backend, persons=..., meetings=...)` creates a database of its own (a
temporary SQLite file, or a new PostgreSQL database on TEST_POSTGRES_URL's server),
migrates it, fills it with bulk inserts and drops it again when the block ends.
"""

import os
import random
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, create_engine, make_url, text

from benchmarks.names import (
    FIRST_NAMES,
    MUNICIPALITIES,
    SURNAME_ENDINGS,
    SURNAME_STEMS,
    SURNAMES,
)
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Meeting, Person, PhoneNumber, Staff
from storage.models.enums import DataSource, MeetingKind, Role
from storage.models.person_search import search_name, words

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")
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
CHUNK = 10_000

# Seals the made-up register's audit trail.
CHAIN_KEY = b"made-up benchmark key that seals the audit trail"


@contextmanager
def filled_database(
    backend: str, *, persons: int, meetings: int, seed: int = 3
) -> Iterator[Database]:
    with empty_database(backend) as database:
        _fill(database, persons=persons, meetings=meetings, rng=random.Random(seed))
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
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    database = Database(url, audit_chain_key=CHAIN_KEY)
    try:
        upgrade(database.engine)
        yield database
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class _People:
    surnames: list[str]
    weights: list[float]

    @classmethod
    def make(cls) -> "_People":
        tail = [stem + ending for stem in SURNAME_STEMS for ending in SURNAME_ENDINGS]
        tail = [name for name in dict.fromkeys(tail) if name not in SURNAMES]
        weights = [
            TOP_SURNAME_SHARE * rank**-SURNAME_FALL_OFF for rank in range(1, len(SURNAMES) + 1)
        ]
        weights += [(1 - sum(weights)) / len(tail)] * len(tail)
        return cls(surnames=SURNAMES + tail, weights=list(accumulate(weights)))


def _fill(database: Database, *, persons: int, meetings: int, rng: random.Random) -> None:
    with database.transaction() as session:
        staff = [Staff(slack_user_id=user, role=Role.ADVISOR) for user in ADVISORS]
        staff.append(Staff(slack_user_id=CONTROLLER, role=Role.CONTROLLER))
        session.add_all(staff)
        session.flush()
        advisor_ids = [member.id for member in staff]

    meeting_rows, last_meeting = _meetings(persons, meetings, advisor_ids, rng)
    person_rows, phone_rows = _persons(persons, last_meeting, rng)
    with database.engine.begin() as connection:
        _bulk_insert(connection, Person.__table__, person_rows)  # type: ignore[arg-type]
        _bulk_insert(connection, PhoneNumber.__table__, phone_rows)  # type: ignore[arg-type]
        _bulk_insert(connection, Meeting.__table__, meeting_rows)  # type: ignore[arg-type]
    _analyze(database)


def _meetings(
    persons: int, meetings: int, advisor_ids: Sequence[int], rng: random.Random
) -> tuple[list[dict[str, Any]], dict[int, datetime]]:
    rows = []
    last: dict[int, datetime] = {}
    kinds = list(MeetingKind)
    for number in range(1, meetings + 1):
        # Squaring skews towards low ids: some people meet advisors far more often.
        person_id = 1 + int(rng.random() ** 2 * persons)
        occurred_at = NOW - timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
        rows.append(
            dict(
                id=number,
                person_id=person_id,
                advisor_id=rng.choice(advisor_ids),
                occurred_at=occurred_at,
                duration_minutes=rng.choice((15, 30, 45, 60, 90)),
                kind=rng.choice(kinds).value,
                topic=None,
                notes=None,
                follow_up_on=None,
                idempotency_key=f"bench-{number}",
                created_at=occurred_at,
            )
        )
        if occurred_at > last.get(person_id, occurred_at - timedelta(1)):
            last[person_id] = occurred_at
    return rows, last


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


def _bulk_insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        names = ", ".join(columns)
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
        connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), :last)"),
            {"last": max(row["id"] for row in rows)},
        )
        return
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[start : start + CHUNK])


def _analyze(database: Database) -> None:
    if database.backend == "postgresql":
        with database.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with database.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
