"""An import from start to end: the lines checked, then handed to storage a batch at a time,
each batch in a transaction of its own (a dry run only reads); on PostgreSQL, written while
the next batch is checked. A line that is refused never stops the others; an import cut
short is simply run again, as what came in is skipped."""

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.imports.inputs import (
    MEETING_COLUMNS,
    MEETING_REQUIRED_FIELDS,
    PERSON_COLUMNS,
    PERSON_REQUIRED_FIELDS,
    Columns,
    Problem,
    columns_of,
    read_meeting,
    read_person,
)
from bot.imports.outcome import Outcome
from bot.imports.table import Cell, Table
from storage.db import Database
from storage.errors import RegisterError
from storage.imports import PersonBatch, PersonImport, PersonRow
from storage.meeting_imports import MeetingBatch, MeetingImport, MeetingRow

BATCH_SIZE = 1000

Row = TypeVar("Row", PersonRow, MeetingRow)
Written = TypeVar("Written", PersonBatch, MeetingBatch)


class ImportStopped(Exception):
    """The database, or the register's guard in storage, refused a batch: what the batches
    before it brought in stays, and `outcome` says how far the import got."""

    def __init__(self, outcome: Outcome, error: SQLAlchemyError | RegisterError) -> None:
        super().__init__(type(error).__name__)
        self.outcome = outcome
        self.error_type = type(error).__name__


class Progress(Protocol):
    def update(self, n: int = 1) -> object: ...


@dataclass(frozen=True)
class Clock:
    """The agency's time zone and today, and now, for the rules that need them."""

    zone: ZoneInfo
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    @classmethod
    def current(cls, zone: ZoneInfo) -> "Clock":
        return cls(zone=zone, now=datetime.now(UTC))


def _batches(table: Table) -> Iterator[list[tuple[int, list[Cell]]]]:
    for start in range(0, len(table.rows), BATCH_SIZE):
        yield table.rows[start : start + BATCH_SIZE]


def _session(
    database: Database, *, dry_run: bool, timeout_ms: int | None
) -> AbstractContextManager[Session]:
    if dry_run:
        return database.reading()
    return database.transaction(statement_timeout_ms=timeout_ms)


def _each_batch(
    database: Database,
    table: Table,
    outcome: Outcome,
    read: Callable[[int, list[Cell]], Row | list[Problem]],
    write: Callable[[Session, Sequence[Row]], Written],
    record: Callable[[Written], None],
    progress: Progress,
    timeout_ms: int | None,
) -> None:
    """The batches are written one at a time, in the file's order, and what comes of each is
    recorded here, in that order. On PostgreSQL one writer thread writes each batch while the
    next is checked."""

    def written(rows: Sequence[Row]) -> Written:
        with _session(database, dry_run=outcome.dry_run, timeout_ms=timeout_ms) as session:
            return write(session, rows)

    with _writer(database) as writer:
        pending: tuple[Future[Written], int] | None = None
        for batch in _batches(table):
            rows: list[Row] = []
            for line, cells in batch:
                read_row = read(line, cells)
                if isinstance(read_row, list):
                    outcome.refused(read_row)
                else:
                    rows.append(read_row)
            if pending is not None:
                _finish(pending, outcome, record, progress)
            pending = (writer.submit(written, rows), len(batch))
        if pending is not None:
            _finish(pending, outcome, record, progress)


class _WriteAtOnce(Executor):
    """Writes a batch as it is handed over, in this thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> "Future[Any]":
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


def _writer(database: Database) -> Executor:
    """PostgreSQL works in a process of its own, so a thread can wait for it while this one
    checks the next batch. SQLite works in this process, and calls back into Python as it goes
    (the statement time limit's progress handler): a second thread would only make both queue
    for the interpreter."""
    if database.backend == "postgresql":
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
    return _WriteAtOnce()


def _finish(
    pending: tuple["Future[Written]", int],
    outcome: Outcome,
    record: Callable[[Written], None],
    progress: Progress,
) -> None:
    future, lines = pending
    try:
        written = future.result()
    except (SQLAlchemyError, RegisterError) as error:
        raise ImportStopped(outcome, error) from error
    record(written)
    outcome.lines += lines
    progress.update(lines)


def import_persons(
    database: Database,
    table: Table,
    *,
    dry_run: bool,
    clock: Clock,
    progress: Progress,
    timeout_ms: int | None = None,
) -> Outcome:
    """Every person line of `table`; ColumnsRefused before anything when its columns do not
    fit."""
    columns = columns_of(table, PERSON_COLUMNS, PERSON_REQUIRED_FIELDS)
    outcome = Outcome(persons=True, dry_run=dry_run)
    persons = PersonImport(dry_run=dry_run)

    def read(line: int, cells: list[Cell]) -> PersonRow | list[Problem]:
        return read_person(line, cells, columns, today=clock.today)

    def write(session: Session, rows: Sequence[PersonRow]) -> PersonBatch:
        return persons.add(session=session, rows=rows)

    def record(batch: PersonBatch) -> None:
        outcome.imported += len(batch.imported)
        for skipped in batch.skipped:
            outcome.skipped_person(skipped, columns)

    _each_batch(database, table, outcome, read, write, record, progress, timeout_ms)
    return outcome


def import_meetings(
    database: Database,
    table: Table,
    *,
    dry_run: bool,
    clock: Clock,
    progress: Progress,
    timeout_ms: int | None = None,
) -> Outcome:
    """Every meeting line of `table`; ColumnsRefused before anything when its columns do not
    fit."""
    columns: Columns = columns_of(table, MEETING_COLUMNS, MEETING_REQUIRED_FIELDS)
    outcome = Outcome(persons=False, dry_run=dry_run)
    meetings = MeetingImport(dry_run=dry_run)

    def read(line: int, cells: list[Cell]) -> MeetingRow | list[Problem]:
        return read_meeting(line, cells, columns, now=clock.now, today=clock.today, zone=clock.zone)

    def write(session: Session, rows: Sequence[MeetingRow]) -> MeetingBatch:
        return meetings.add(session=session, rows=rows)

    def record(batch: MeetingBatch) -> None:
        outcome.imported += len(batch.imported)
        for skipped in batch.skipped:
            outcome.skipped_meeting(skipped.line, skipped.of_line)
        for refused in batch.refused:
            outcome.refused_meeting(refused, columns)

    _each_batch(database, table, outcome, read, write, record, progress, timeout_ms)
    return outcome
