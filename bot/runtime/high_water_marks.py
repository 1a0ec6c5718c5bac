"""High-water marks kept outside the database, and raising the id sequences to them.

Any JSON-lines file (`*.jsonl`) in the erasure ledger's folder may carry marks: each line with
a `high_water_marks` object (table name → the highest id given) counts. The erasure ledger
writes them with every erasure; other records kept there (the audit trail's anchors) may too.
Every process raises the sequences to them when it starts, and so does each erasure replay, so
that a restored backup never gives an id a second time.
"""

import json
import logging
from pathlib import Path

from storage.db import Database
from storage.sequences import Marks, raise_sequences

logger = logging.getLogger(__name__)

MARKS_FIELD = "high_water_marks"


def recorded_marks(folder: Path) -> Marks:
    """The highest mark of each table in the folder's JSON-lines files."""
    return highest(*(marks_in_file(path) for path in sorted(folder.glob("*.jsonl"))))


def marks_in_file(path: Path) -> Marks:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", errors="replace") as lines:
        return highest(*(_marks_of(line) for line in lines))


def highest(*all_marks: Marks) -> Marks:
    """Per table, the highest of the marks given."""
    merged: Marks = {}
    for marks in all_marks:
        for table, mark in marks.items():
            merged[table] = max(merged.get(table, 0), mark)
    return merged


def _marks_of(line: str) -> Marks:
    try:
        document = json.loads(line)
    except ValueError:
        return {}
    found = document.get(MARKS_FIELD) if isinstance(document, dict) else None
    if not isinstance(found, dict):
        return {}
    return {
        table: mark
        for table, mark in found.items()
        if isinstance(table, str) and isinstance(mark, int) and not isinstance(mark, bool)
    }


def raise_to_recorded_marks(database: Database, folder: Path) -> Marks:
    """Raises every id sequence to the marks kept in `folder`; the tables raised."""
    with database.transaction() as session:
        raised = raise_sequences(session=session, marks=recorded_marks(folder))
    if raised:
        logger.warning("Id sequences behind their recorded marks (a restore?) raised: %s", raised)
    return raised
