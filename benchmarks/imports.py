"""The import of an earlier register, timed end to end: a CSV of made-up persons read, every
line checked by the person form's model, looked up for duplicates and brought in, then the same
file again (everything skipped), then a CSV of meetings with them.

One line in a hundred repeats an earlier one, as an old register's do; the persons have an
e-mail, a phone number and a birth date, so that every duplicate rule has keys to look up.
"""

import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks.fill import empty_database
from benchmarks.names import FIRST_NAMES, MUNICIPALITIES, SURNAMES
from bot.imports.run import Clock, import_meetings, import_persons
from bot.imports.table import read_table
from storage.models.person_search import words
from storage.spreadsheets import csv_bytes

REPEATED_SHARE = 0.01
# 100,000 lines in under a minute, on either database.
TARGET_LINES = 100_000
TARGET_SECONDS = 60
PERSON_HEADER = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "municipality",
    "gender",
    "relationship_kind",
    "legal_basis",
    "relationship_started_on",
)
MEETING_HEADER = ("person", "occurred_at", "duration", "kind", "topic")
GENDERS = ("female", "male", "other", "undisclosed")
ZONE = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class Timing:
    step: str
    lines: int
    brought_in: int
    seconds: float
    cpu_seconds: float  # of this process (all its threads); a database server's not counted

    @property
    def per_second(self) -> float:
        return self.lines / self.seconds if self.seconds else 0.0


class _Silent:
    def update(self, n: int = 1) -> None:
        return None


def _persons(count: int, rng: random.Random) -> Iterator[list[str]]:
    made: list[list[str]] = []
    for number in range(count):
        if made and rng.random() < REPEATED_SHARE:
            yield rng.choice(made)
            continue
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(50 * 365))
        row = [
            first,
            last,
            f"{'.'.join(words(first) + words(last))}.{number}@example.fi",
            f"040 {number:07d}",
            f"{born.day}.{born.month}.{born.year}",
            rng.choice(MUNICIPALITIES),
            rng.choice(GENDERS),
            "customer",
            "contract",
            (date(2015, 1, 1) + timedelta(days=rng.randrange(3000))).isoformat(),
        ]
        made.append(row)
        yield row


def _meetings(count: int, emails: list[str], rng: random.Random) -> Iterator[list[str]]:
    for _ in range(count):
        at = date(2016, 1, 1) + timedelta(days=rng.randrange(3000))
        yield [
            rng.choice(emails),
            f"{at.day}.{at.month}.{at.year} {rng.randrange(8, 17)}.{rng.choice(('00', '30'))}",
            str(rng.choice((30, 45, 60, 90))),
            rng.choice(("meeting", "phone", "video")),
            "Liiketoimintasuunnitelma",
        ]


def run(backend: str, *, rows: int, seed: int = 7) -> list[Timing]:
    rng = random.Random(seed)
    timings = []
    with tempfile.TemporaryDirectory(prefix="register-import-") as directory:
        persons = list(_persons(rows, rng))
        persons_file = Path(directory) / "persons.csv"
        persons_file.write_bytes(csv_bytes([list(PERSON_HEADER), *persons]))
        emails = [person[2] for person in persons]
        meetings_file = Path(directory) / "meetings.csv"
        meetings_file.write_bytes(csv_bytes([list(MEETING_HEADER), *_meetings(rows, emails, rng)]))
        with empty_database(backend) as database:
            for step, file, importer in (
                ("persons", persons_file, import_persons),
                ("persons again", persons_file, import_persons),
                ("meetings", meetings_file, import_meetings),
            ):
                started, cpu = time.perf_counter(), time.process_time()
                table = read_table(str(file))
                outcome = importer(
                    database,
                    table,
                    dry_run=False,
                    clock=Clock.current(ZONE),
                    progress=_Silent(),
                )
                seconds = time.perf_counter() - started
                timings.append(
                    Timing(
                        step, outcome.lines, outcome.imported, seconds, time.process_time() - cpu
                    )
                )
    return timings
