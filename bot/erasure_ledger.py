"""`python -m bot erasures export|import`: the erasure records kept outside the database.

A backup restored from before an erasure brings the person back, and its `erasures` table
knows nothing of the erasure. Exported after each erasure (or nightly) to where the backups
are not, the ledger lets `import` record those erasures again and erase the persons at once.
The ledger holds person ids, public references and dates: no personal data.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import TextIO

from storage.db import Database
from storage.erasure import (
    ErasureRecord,
    erasure_records,
    replay_erasures,
    restore_erasure_records,
)


def export_ledger(database: Database, out: TextIO) -> int:
    with database.reading() as session:
        records = erasure_records(session=session)
    for record in records:
        out.write(json.dumps(asdict(record)) + "\n")
    return len(records)


def parse_ledger(lines: Iterable[str]) -> Iterator[ErasureRecord]:
    for line in lines:
        if line.strip():
            yield ErasureRecord(**json.loads(line))


def import_ledger(database: Database, lines: Iterable[str]) -> tuple[int, list[int]]:
    """Records the ledger's erasures the database lacks, then erases every recorded person who
    is back; (records added, ids erased again)."""
    with database.transaction() as session:
        added = restore_erasure_records(session=session, records=parse_ledger(lines))
        return added, replay_erasures(session=session)
