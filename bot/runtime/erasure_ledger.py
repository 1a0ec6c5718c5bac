"""The erasure ledger: every erasure as one JSON line, in a file kept outside the database.

A backup restored from before an erasure brings the person back and knows nothing of the
erasure; the nightly `erasure-replay` reads this file and erases them again. A line holds the
person's id, key and public reference, when they were erased, and the high-water marks of the
register's ids at that moment: no personal data. Lines are appended once the erasure's
transaction has committed (bot.runtime.ledger_hook), flushed and fsynced; the replay appends
whatever erasure the database has and the file lacks, so a crash between the two loses
nothing.
"""

import fcntl
import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TextIO

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from bot.runtime.high_water_marks import MARKS_FIELD
from storage.agency_settings import THE_AGENCY, every_agency
from storage.db import Database
from storage.erasure import ErasureRecord, erasure_records
from storage.sequences import Marks, high_water_marks

logger = logging.getLogger(__name__)
LINES_PER_WRITE = 1000


class LedgerLine(BaseModel):
    """One line of the ledger; `person_key` is absent from erasures older than the keys."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    person_id: int
    person_key: uuid.UUID | None = None
    person_reference: str
    erased_at: AwareDatetime
    # Lines from before agencies name none: they are the first agency's.
    agency_id: int = THE_AGENCY
    high_water_marks: Marks = {}

    @property
    def record(self) -> ErasureRecord:
        return ErasureRecord(
            person_id=self.person_id,
            person_key=self.person_key,
            person_reference=self.person_reference,
            erased_at=self.erased_at,
            agency_id=self.agency_id,
        )


def line_of(record: ErasureRecord, marks: Marks) -> str:
    """The record as a ledger line; the marks cover the erased person's id whatever they say."""
    marks = {**marks, "persons": max(marks.get("persons", 0), record.person_id)}
    document = {
        "person_id": record.person_id,
        "person_key": None if record.person_key is None else str(record.person_key),
        "person_reference": record.person_reference,
        "erased_at": record.erased_at.isoformat(),
        "agency_id": record.agency_id,
        MARKS_FIELD: marks,
    }
    return json.dumps(document, sort_keys=True) + "\n"


def parse_ledger(lines: Iterable[str], *, source: str = "ledger") -> Iterator[ErasureRecord]:
    """The records of a ledger; a line that cannot be read (a write cut short) is reported by
    its number and skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield LedgerLine.model_validate_json(line).record
        except ValidationError:
            logger.error("%s line %d is not an erasure record; skipped", source, number)


def read_ledger(path: Path) -> list[ErasureRecord]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as ledger:
        return list(parse_ledger(ledger, source=path.name))


def append_missing(path: Path, records: Iterable[ErasureRecord], marks: Marks) -> int:
    """Appends each record the ledger lacks, durably; how many. Writers in other processes
    wait for each other. The ledger is read a line at a time, and `records` (which may be read
    from the database as they come) written a batch of lines at a time: a whole register's
    erasure never holds its ledger, or all its lines, at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    with path.open("a+b") as ledger:
        fcntl.flock(ledger, fcntl.LOCK_EX)
        ledger.seek(0)
        lines = (line.decode("utf-8", errors="replace") for line in ledger)
        known = {record.identity for record in parse_ledger(lines)}
        unfinished = _ends_unfinished(ledger)
        appended, batch = 0, []
        for record in records:
            if record.identity in known:
                continue
            batch.append(line_of(record, marks))
            if len(batch) == LINES_PER_WRITE:
                appended += _write(ledger, batch, lead=unfinished and not appended)
                batch = []
        if batch:
            appended += _write(ledger, batch, lead=unfinished and not appended)
        if not appended:
            return 0
        _sync(ledger)
    if created:
        _sync_directory(path.parent)
    return appended


def _write(ledger: IO[bytes], lines: list[str], *, lead: bool) -> int:
    """Writes the lines; `lead`: after a newline that ends a line cut short."""
    ledger.write(("\n" if lead else "").encode() + "".join(lines).encode("utf-8"))
    return len(lines)


def _ends_unfinished(ledger: IO[bytes]) -> bool:
    """Whether the ledger's last line was cut short (a crash in the middle of a write)."""
    size = ledger.seek(0, os.SEEK_END)
    if size == 0:
        return False
    ledger.seek(size - 1)
    return ledger.read(1) != b"\n"


def _sync(file: IO[bytes]) -> None:
    file.flush()
    os.fsync(file.fileno())


def _sync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def export_ledger(database: Database, out: TextIO) -> int:
    """Prints every erasure the database records, every agency's, as ledger lines."""
    with database.reading() as session:
        agencies = every_agency(session=session)
        marks = high_water_marks(session=session)
    records = []
    for agency in agencies:
        with database.reading(agency=agency) as session:
            records += erasure_records(session=session)
    for record in records:
        out.write(line_of(record, marks))
    return len(records)
