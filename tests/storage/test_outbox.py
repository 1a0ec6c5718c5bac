"""The outbox's rows: once per key, claimed before they are sent, settled only by their claim,
and counted when they stay undelivered; the Slack events already handled."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import handled_events, outbox
from storage.models import HandledEvent, OutboxMessage
from storage.models.enums import OutboxKind

NOW = datetime.now(UTC)


def put(session: Session, key: str, kind: OutboxKind = OutboxKind.FOLLOW_UPS) -> bool:
    return outbox.enqueue(
        session=session, key=key, kind=kind, recipient="UADV1", params={"on": "2026-11-30"}
    )


def written_at(session: Session, when: datetime) -> None:
    session.execute(update(OutboxMessage).values(created_at=when, next_attempt_at=when))


def test_a_key_is_put_in_once(session: Session) -> None:
    assert put(session, "job:follow-ups:2026-11-30:UADV1")
    assert not put(session, "job:follow-ups:2026-11-30:UADV1")

    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert len(outbox.take_enqueued(session)) == 1 and outbox.take_enqueued(session) == []


def test_a_claimed_message_is_not_claimed_again_until_its_claim_is_abandoned(
    session: Session,
) -> None:
    put(session, "a")
    written_at(session, NOW)

    (claimed,) = outbox.claim(session=session, now=NOW)
    assert outbox.claim(session=session, now=NOW + timedelta(minutes=1)) == []
    (taken_over,) = outbox.claim(session=session, now=NOW + outbox.ABANDONED_AFTER * 2)

    assert not outbox.delivered(session=session, claimed=claimed, now=NOW)
    assert outbox.delivered(session=session, claimed=taken_over, now=NOW)
    assert outbox.claim(session=session, now=NOW + timedelta(days=1)) == []


def test_a_message_to_retry_waits_for_its_time(session: Session) -> None:
    put(session, "a")
    written_at(session, NOW)
    (claimed,) = outbox.claim(session=session, now=NOW)

    outbox.retry_later(
        session=session, claimed=claimed, error="service_unavailable", at=NOW + timedelta(hours=1)
    )

    assert outbox.claim(session=session, now=NOW + timedelta(minutes=59)) == []
    (again,) = outbox.claim(session=session, now=NOW + timedelta(hours=1))
    assert again.attempts == 1


def test_what_stays_undelivered_for_an_hour_is_counted_by_kind(session: Session) -> None:
    for key, kind in (
        ("a", OutboxKind.REQUEST_ALERT),
        ("b", OutboxKind.REQUEST_ALERT),
        ("c", OutboxKind.FOLLOW_UPS),
        ("d", OutboxKind.FOLLOW_UPS),
    ):
        put(session, key, kind)
    written_at(session, NOW - timedelta(hours=2))
    claimed = {message.id: message for message in outbox.claim(session=session, now=NOW)}
    delivered, refused = sorted(claimed)[2:]
    outbox.delivered(session=session, claimed=claimed[delivered], now=NOW)
    outbox.failed(session=session, claimed=claimed[refused], error="channel_not_found")
    put(session, "fresh", OutboxKind.REQUEST_ALERT)

    stuck = outbox.undelivered(session=session, now=NOW)

    assert stuck.retrying == {OutboxKind.REQUEST_ALERT: 2}
    assert stuck.failed == {OutboxKind.FOLLOW_UPS: 1}
    assert outbox.undelivered(session=session, now=NOW + timedelta(days=8)).failed == {}


def test_an_event_is_handled_once_and_forgotten_after_a_day(session: Session) -> None:
    assert handled_events.mark_handled(session=session, event_id="Ev01")
    assert not handled_events.mark_handled(session=session, event_id="Ev01")

    session.execute(update(HandledEvent).values(handled_at=NOW - timedelta(days=2)))
    assert handled_events.forget_old(session=session, now=NOW) == 1
    assert handled_events.mark_handled(session=session, event_id="Ev01")


def test_settled_messages_are_forgotten_after_their_keeping_time(session: Session) -> None:
    put(session, "old")
    put(session, "waiting")
    written_at(session, NOW - outbox.SETTLED_KEPT_FOR - timedelta(days=1))
    (old, _) = outbox.claim(session=session, now=NOW)
    outbox.delivered(session=session, claimed=old, now=NOW)

    assert outbox.forget_settled(session=session, now=NOW) == 1
    assert list(session.scalars(select(OutboxMessage.key))) == ["waiting"]
