"""Slack Events API deliveries already handled: Slack retries an event it thinks we missed
(`X-Slack-Retry-Num`), with the same `event_id`; its listener must not run again."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import HandledEvent

KEPT_FOR = timedelta(days=1)


def mark_handled(*, session: Session, event_id: str) -> bool:
    """Records a Slack event as handled; False when it already was (a retry)."""
    if session.scalar(select(HandledEvent.id).where(HandledEvent.event_id == event_id)):
        return False
    try:
        with session.begin_nested():
            session.add(HandledEvent(event_id=event_id))
    except IntegrityError:
        return False
    return True


def forget_old(*, session: Session, now: datetime) -> int:
    """Slack retries an event for minutes, not days: older ids are no longer needed."""
    statement = delete(HandledEvent).where(HandledEvent.handled_at < now - KEPT_FOR)
    return session.execute(statement).rowcount  # type: ignore[attr-defined]
