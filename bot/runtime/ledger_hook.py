"""Writes the erasure ledger from the database's own sessions, so that no edge can forget it.

Whatever commits an erasure (a listener, a job, the CLI), the sessions of the Database note
the id of each `Erasure` row they insert; once the transaction has committed, those rows that
are there (a savepoint rolled back took its rows with it) are read back a batch at a time with
the high-water marks, and appended to the ledger as they come: a whole register's erasure never
holds its records at once. Should that fail, the next `erasure-replay` appends what the ledger
lacks.
"""

import itertools
import logging
from array import array
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from bot.runtime.erasure_ledger import append_missing
from storage.db import Database
from storage.erasure import erasure_records_by_id, erasures_in
from storage.sequences import high_water_marks
from storage.tenancy import agency_of

logger = logging.getLogger(__name__)

_INSERTED = "erasure_ledger_inserted"
_TO_APPEND = "erasure_ledger_to_append"
_kept: "WeakKeyDictionary[Database, Path]" = WeakKeyDictionary()
LOGGED_IDS = 20


def keep_ledger(database: Database, path: Path) -> None:
    """From now on every erasure committed through `database` goes to the ledger at `path`;
    a second call for the same database changes nothing."""
    if database in _kept:
        return
    _kept[database] = path
    sessions = database.sessions

    @event.listens_for(sessions, "after_flush")
    def note_inserted(session: Session, _context: Any) -> None:
        inserted = erasures_in(session)
        if inserted:
            # Compact: a whole register's erasure notes a million ids.
            session.info.setdefault(_INSERTED, array("q")).extend(inserted)

    @event.listens_for(sessions, "before_commit")
    def note_committing(session: Session) -> None:
        if session.get_nested_transaction() is not None:
            return
        session.flush()
        inserted = session.info.pop(_INSERTED, None)
        if inserted:
            session.info[_TO_APPEND] = inserted

    @event.listens_for(sessions, "after_commit")
    def append(session: Session) -> None:
        if session.get_nested_transaction() is not None:
            return
        inserted: array[int] | None = session.info.pop(_TO_APPEND, None)
        if not inserted:
            return
        try:
            with database.reading(agency=agency_of(session)) as committed:
                records = erasure_records_by_id(session=committed, erasure_ids=inserted)
                first = next(records, None)
                if first is None:  # rolled back with their savepoint
                    return
                marks = high_water_marks(session=committed)
                append_missing(path, itertools.chain([first], records), marks)
        except (OSError, SQLAlchemyError) as error:
            shown = sorted(set(inserted))[:LOGGED_IDS]
            logger.error(
                "Erasure ledger not written (%s) for %d erasure records, ids %s%s; the next "
                "erasure-replay adds them",
                type(error).__name__,
                len(inserted),
                shown,
                " and more" if len(inserted) > len(shown) else "",
            )

    @event.listens_for(sessions, "after_transaction_end")
    def forget(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.info.pop(_INSERTED, None)
            session.info.pop(_TO_APPEND, None)
