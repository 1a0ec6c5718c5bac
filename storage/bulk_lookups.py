"""Bulk look-ups (OWASP ASVS V8.1.4): a staff member who opens many persons' cards in a short
time is to be reported to the register's contact persons, once per window.

Counted from the audit trail: the `person.view` events of that staff member within the window.
The report itself is an audit event, so a window holds at most one report per staff member
however many more cards are opened in it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.models import AuditEvent
from storage.models.base import utcnow
from storage.models.enums import AuditOutcome

CARD_OPENED = "person.view"
REPORT_ACTION = "staff.bulk_lookup"


@dataclass(frozen=True)
class BulkLookupLimit:
    threshold: int  # cards opened within the window that make a report
    window: timedelta


@dataclass(frozen=True)
class BulkLookup:
    """What the contact persons hear: who, how many cards, in how long. No person."""

    slack_user_id: str
    cards: int
    window: timedelta
    report_id: int  # the report's audit event: this window's report, told once


def _count(session: Session, actor: str, action: str, since: datetime, until: datetime) -> int:
    query = select(func.count()).where(
        AuditEvent.actor == actor,
        AuditEvent.at > since,
        AuditEvent.at <= until,
        AuditEvent.action == action,
        AuditEvent.outcome == AuditOutcome.ALLOWED,
    )
    return session.scalar(query) or 0


def note_card_opened(
    *, session: Session, actor: str, limit: BulkLookupLimit, now: datetime | None = None
) -> BulkLookup | None:
    """Called once a card's opening is in the audit trail. The look-up to report when `actor`
    has opened `limit.threshold` cards or more within the window and was not yet reported in
    it; the report is recorded (`staff.bulk_lookup`, by the actor, no person)."""
    now = now or utcnow()
    since = now - limit.window
    cards = _count(session, actor, CARD_OPENED, since, now)
    if cards < limit.threshold or _count(session, actor, REPORT_ACTION, since, now):
        return None
    report = audit.record(session=session, actor=actor, action=REPORT_ACTION)
    return BulkLookup(slack_user_id=actor, cards=cards, window=limit.window, report_id=report.id)
