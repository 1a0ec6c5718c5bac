"""The outbox's fast path: what a transaction put in the outbox is delivered as soon as that
transaction has committed, whoever committed it (a listener, a lazy listener, a job, the CLI),
in the same thread, before Slack gets its answer, for the agency the transaction acted for (with
its workspace's bot token). Nothing is delivered when it rolls back.

It hangs on the session factory's events, so no edge needs to know of it: the root
transaction's end, once its connection is back in the pool (a savepoint's release is not a
commit of the work).
"""

import logging
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from bot.outbox.delivery import OutboxDeliverer
from bot.runtime.logs import stack_without_messages
from storage import outbox
from storage.db import Database
from storage.tenancy import agency_of

COMMITTED = "outbox_committed"

logger = logging.getLogger(__name__)
_deliverers: "WeakKeyDictionary[sessionmaker[Session], OutboxDeliverer]" = WeakKeyDictionary()


def install(database: Database, deliverer: OutboxDeliverer) -> None:
    """Delivers what each of the database's transactions put in the outbox once it commits;
    installing again replaces the deliverer."""
    sessions = database.sessions
    if sessions not in _deliverers:

        def deliver_if_committed(session: Session, transaction: SessionTransaction) -> None:
            if transaction.parent is None:
                _deliver_if_committed(session, _deliverers.get(sessions))

        event.listen(sessions, "after_commit", _mark_committed)
        event.listen(sessions, "after_transaction_end", deliver_if_committed)
    _deliverers[sessions] = deliverer


def _mark_committed(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info[COMMITTED] = True


def _deliver_if_committed(session: Session, deliverer: OutboxDeliverer | None) -> None:
    committed = session.info.pop(COMMITTED, False)
    ids = outbox.take_enqueued(session)
    if not committed or not ids or deliverer is None:
        return
    try:
        deliverer.for_agency(agency_of(session)).deliver(ids)
    except Exception as error:  # the work is saved; the clock delivers what is left
        logger.error("The outbox's fast path failed\n%s", stack_without_messages(error))
