"""Writes the erasure ledger from the database's own sessions, so that no edge can forget it.

Whatever commits an erasure (a listener, a job, the CLI), the sessions of the Database note
each `Erasure` row they insert; just before the commit they read back the rows that are still
there (a savepoint rolled back takes its rows with it) and the high-water marks, and once the
transaction has committed they append those lines to the ledger.
"""

import logging
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from bot.runtime.erasure_ledger import append_missing
from storage.db import Database
from storage.erasure import ErasureRecord, erasure_records_by_id, erasures_in
from storage.sequences import Marks, high_water_marks

logger = logging.getLogger(__name__)

_INSERTED = "erasure_ledger_inserted"
_TO_APPEND = "erasure_ledger_to_append"
_kept: "WeakKeyDictionary[Database, Path]" = WeakKeyDictionary()


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
            session.info.setdefault(_INSERTED, set()).update(inserted)

    @event.listens_for(sessions, "before_commit")
    def read_back(session: Session) -> None:
        if session.get_nested_transaction() is not None:
            return
        session.flush()
        inserted = session.info.pop(_INSERTED, None)
        if not inserted:
            return
        records = erasure_records_by_id(session=session, erasure_ids=inserted)
        if records:
            session.info[_TO_APPEND] = (records, high_water_marks(session=session))

    @event.listens_for(sessions, "after_commit")
    def append(session: Session) -> None:
        if session.get_nested_transaction() is not None:
            return
        to_append: tuple[list[ErasureRecord], Marks] | None = session.info.pop(_TO_APPEND, None)
        if not to_append:
            return
        records, marks = to_append
        try:
            append_missing(path, records, marks)
        except OSError:
            logger.exception(
                "Erasure ledger not written for erasures %s; the next erasure-replay adds them",
                [record.person_id for record in records],
            )

    @event.listens_for(sessions, "after_transaction_end")
    def forget(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.info.pop(_INSERTED, None)
            session.info.pop(_TO_APPEND, None)
