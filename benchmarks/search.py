"""Search latency per kind of query, and proof that each query goes through an index."""

import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from benchmarks.fill import ADVISORS
from storage.db import Database
from storage.models import Person, PhoneNumber
from storage.models.enums import Purpose
from storage.phones import for_display
from storage.search import search_persons
from storage.staff import StaffMember, find

SAMPLES = 200
WARM_UP = 20
# The p95 each kind of query must stay under, at 1,000,000 persons as at 100,000.
TARGET_P95_MS = {"surname": 10.0, "prefix": 10.0, "typo": 10.0, "email": 2.0, "phone": 2.0}
LETTERS = "abcdefghijklmnopqrstuvwxyzäö"
EXPLAINED_QUERIES = 3
# A plan line that reads a whole table of the register, or of its search terms, instead of an
# index (the table of distinct words is small and may be read whole).
FULL_SCAN = {
    "sqlite": re.compile(r"\bSCAN (persons|persons_search_terms|phone_numbers|meetings)\b(?!_)"),
    "postgresql": re.compile(
        r"Seq Scan on (persons|persons_search_terms|phone_numbers|meetings)\b"
    ),
}
INDEX_USED = {
    "sqlite": re.compile(
        r"USING (?:COVERING )?INDEX (\w+)|SCAN (\w+) VIRTUAL TABLE|SEARCH (\w+) USING PRIMARY KEY"
    ),
    "postgresql": re.compile(r"Index (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)"),
}


@dataclass(frozen=True)
class Timing:
    kind: str
    p50_ms: float
    p95_ms: float
    mean_hits: float
    indexes: list[str]
    full_scans: list[str]

    @property
    def target_p95_ms(self) -> float:
        return TARGET_P95_MS[self.kind]


def run(database: Database, *, samples: int = SAMPLES, seed: int = 7) -> list[Timing]:
    rng = random.Random(seed)
    with database.transaction() as session:
        viewer = find(session=session, slack_user_id=ADVISORS[0])
        queries = sample_queries(session, samples, rng)
    assert viewer is not None
    timings = []
    for kind, kind_queries in queries.items():
        for query in kind_queries[:WARM_UP]:
            _search(database, viewer, query)
        durations, hit_counts = [], []
        for query in kind_queries:
            started = time.perf_counter()
            hits = _search(database, viewer, query)
            durations.append((time.perf_counter() - started) * 1000)
            hit_counts.append(hits)
        plans = [
            line
            for query in kind_queries[:EXPLAINED_QUERIES]
            for line in _plan_lines(database, viewer, query)
        ]
        timings.append(
            Timing(
                kind=kind,
                p50_ms=statistics.median(durations),
                p95_ms=statistics.quantiles(durations, n=20)[-1],
                mean_hits=statistics.mean(hit_counts),
                indexes=_indexes(database.backend, plans),
                full_scans=sorted(
                    {line for line in plans if FULL_SCAN[database.backend].search(line)}
                ),
            )
        )
    return timings


def _search(database: Database, viewer: StaffMember, query: str) -> int:
    with database.sessions() as session:
        result = search_persons(
            session=session, viewer=viewer, query=query, purpose=Purpose.CUSTOMER_SERVICE
        )
        session.rollback()
    return len(result.hits)


def sample_queries(session: Session, samples: int, rng: random.Random) -> dict[str, list[str]]:
    highest = session.scalar(select(Person.id).order_by(Person.id.desc()).limit(1)) or 0
    ids = rng.sample(range(1, highest + 1), samples)
    persons = session.execute(
        select(Person.last_name, Person.email).where(Person.id.in_(ids))
    ).all()
    numbers = session.scalars(
        select(PhoneNumber.number).where(PhoneNumber.person_id.in_(ids))
    ).all()
    surnames = [last_name for last_name, _ in persons]
    long_surnames = [name for name in surnames if len(name) >= 5]
    return {
        "surname": surnames,
        "prefix": [name[: rng.randint(3, 5)] for name in surnames],
        "typo": [_typo(name, rng) for name in long_surnames],
        "email": [email for _, email in persons if email],
        "phone": [for_display(number) for number in numbers],
    }


def _typo(name: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(name))
    wrong = rng.choice([letter for letter in LETTERS if letter != name[position].lower()])
    return name[:position] + wrong + name[position + 1 :]


def _plan_lines(database: Database, viewer: StaffMember, query: str) -> list[str]:
    """The plan lines of every query statement one search runs."""
    with _statements(database) as statements:
        _search(database, viewer, query)
    explain = "EXPLAIN QUERY PLAN " if database.backend == "sqlite" else "EXPLAIN "
    lines = []
    with database.engine.connect() as connection:
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith("SELECT"):
                plan = connection.exec_driver_sql(explain + statement, parameters).all()
                lines += [str(row[-1]).strip() for row in plan]
    return lines


def _indexes(backend: str, plan_lines: list[str]) -> list[str]:
    used = {
        name
        for line in plan_lines
        for match in INDEX_USED[backend].finditer(line)
        for name in match.groups()
        if name
    }
    return sorted(used)


@contextmanager
def _statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    listener: Callable[..., None] = record
    event.listen(database.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", listener)
