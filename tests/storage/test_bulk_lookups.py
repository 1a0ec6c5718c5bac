"""Bulk look-ups counted from the audit trail, reported once per window per staff member."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit, bulk_lookups
from storage.bulk_lookups import BulkLookup, BulkLookupLimit
from storage.models import AuditEvent
from storage.models.base import utcnow
from storage.models.enums import Purpose

LIMIT = BulkLookupLimit(threshold=3, window=timedelta(minutes=10))


def open_cards(session: Session, actor: str, count: int) -> list[BulkLookup | None]:
    """Each card opened as `persons.person_card` records it, then checked."""
    found = []
    for person_id in range(1, count + 1):
        audit.record(
            session=session,
            actor=actor,
            action="person.view",
            person_id=person_id,
            purpose=Purpose.CUSTOMER_SERVICE,
        )
        found.append(bulk_lookups.note_card_opened(session=session, actor=actor, limit=LIMIT))
    return found


def reports(session: Session) -> int:
    query = select(func.count()).where(AuditEvent.action == bulk_lookups.REPORT_ACTION)
    return session.scalar(query) or 0


def test_the_card_that_reaches_the_threshold_is_reported_and_no_later_one(
    session: Session,
) -> None:
    found = open_cards(session, "UADVISOR1", 5)

    told = [f and (f.slack_user_id, f.cards, f.window) for f in found]
    assert told == [None, None, ("UADVISOR1", 3, timedelta(minutes=10)), None, None]
    assert reports(session) == 1


def test_other_staff_and_other_acts_do_not_count(session: Session) -> None:
    open_cards(session, "UADVISOR1", 2)
    audit.record(session=session, actor="UADVISOR2", action="person.view", person_id=1)
    audit.record(session=session, actor="UADVISOR2", action="person.search", person_id=2)

    found = bulk_lookups.note_card_opened(session=session, actor="UADVISOR2", limit=LIMIT)

    assert found is None and reports(session) == 0


def test_cards_opened_before_the_window_do_not_count(session: Session) -> None:
    open_cards(session, "UADVISOR1", 2)
    later = utcnow() + LIMIT.window + timedelta(minutes=1)

    found = bulk_lookups.note_card_opened(
        session=session, actor="UADVISOR1", limit=LIMIT, now=later
    )

    assert found is None and reports(session) == 0
