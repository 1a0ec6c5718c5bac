import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage import audit, staff
from storage.db import Database
from storage.errors import NotFound, PersonRestricted
from storage.meetings import (
    LoggedMeeting,
    MeetingFields,
    advisors_with_follow_ups,
    follow_up_reminder,
    follow_ups_due,
    log_meeting,
    person_for_form,
    recent_meetings,
)
from storage.models import AuditEvent, Meeting, Person, Staff
from storage.models.enums import AuditOutcome, MeetingKind, Purpose, Role
from tests.people import add_meeting, add_person, add_staff

MORNING = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def fields_for(person: Person, occurred_at: datetime = MORNING, **changes: object) -> MeetingFields:
    values: dict[str, object] = dict(
        person_id=person.id,
        occurred_at=occurred_at,
        duration_minutes=60,
        kind=MeetingKind.PHONE,
        topic="Rahoitus",
        notes="Soitetaan uudelleen.",
        follow_up_on=date(2026, 12, 3),
    )
    values.update(changes)
    return MeetingFields(**values)  # type: ignore[arg-type]


def meeting_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Meeting)) or 0


def test_a_meeting_is_saved_with_its_advisor_and_audited(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session, "Maija", "Mallikas")

    logged = log_meeting(
        session=session, actor=advisor, fields=fields_for(person), idempotency_key="k1"
    )

    assert logged.created and logged.first_name == "Maija" and logged.kind is MeetingKind.PHONE
    meeting = session.get(Meeting, logged.id)
    assert meeting is not None and meeting.advisor_id == advisor.id
    assert meeting.notes == "Soitetaan uudelleen." and meeting.duration_minutes == 60
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    assert (event.action, event.person_id, event.purpose, event.actor) == (
        "meeting.log",
        person.id,
        Purpose.MEETING_RECORD.value,
        "UADV1",
    )
    assert audit.verify_chain(session=session).intact


def test_the_same_key_saves_once_and_returns_the_first_meeting(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session)
    first = log_meeting(
        session=session, actor=advisor, fields=fields_for(person), idempotency_key="k"
    )

    again = log_meeting(
        session=session,
        actor=advisor,
        fields=fields_for(person, topic="Toinen yritys"),
        idempotency_key="k",
    )

    assert not again.created and again.id == first.id and again.topic == "Rahoitus"
    assert meeting_count(session) == 1
    logged = session.scalars(select(AuditEvent.action).where(AuditEvent.action == "meeting.log"))
    assert list(logged) == ["meeting.log"]


def test_last_activity_moves_forward_only(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session, last_activity_at=datetime(2026, 6, 1, tzinfo=UTC))

    log_meeting(session=session, actor=advisor, fields=fields_for(person), idempotency_key="a")
    assert person.last_activity_at == MORNING

    earlier = datetime(2026, 3, 1, 12, tzinfo=UTC)
    log_meeting(
        session=session, actor=advisor, fields=fields_for(person, earlier), idempotency_key="b"
    )
    session.expire_all()
    assert session.get(Person, person.id).last_activity_at == MORNING  # type: ignore[union-attr]


def test_no_meeting_is_logged_for_a_restricted_person_and_a_controllers_try_is_audited(
    session: Session,
) -> None:
    """Art 18: the data is only stored. An advisor does not find the person; a controller, who
    does, is refused, and the refusal is audited."""
    advisor = add_staff(session, "UADV1")
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    person = add_person(session, restricted=True)

    with pytest.raises(NotFound):
        log_meeting(session=session, actor=advisor, fields=fields_for(person), idempotency_key="x")
    with pytest.raises(PersonRestricted):
        log_meeting(
            session=session, actor=controller, fields=fields_for(person), idempotency_key="y"
        )
    with pytest.raises(PersonRestricted):
        person_for_form(session=session, viewer=controller, person_id=person.id)
    assert meeting_count(session) == 0
    denied = session.execute(
        select(AuditEvent.action, AuditEvent.actor, AuditEvent.person_id).where(
            AuditEvent.outcome == AuditOutcome.DENIED
        )
    ).all()
    assert sorted(denied) == [
        ("meeting.form", "UCTRL1", person.id),
        ("meeting.log", "UCTRL1", person.id),
    ]


def test_a_missing_person_is_not_found(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session)
    ghost = fields_for(person, person_id=person.id + 1000)

    with pytest.raises(NotFound):
        log_meeting(session=session, actor=advisor, fields=ghost, idempotency_key="g")


def test_recent_meetings_are_the_viewers_own_newest_ten(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    colleague = add_staff(session, "UADV2")
    person = add_person(session)
    hidden = add_person(session, "Salainen", "Henkilö", restricted=True)
    for day in range(12):
        add_meeting(session, person, advisor, MORNING - timedelta(days=day))
    add_meeting(session, person, colleague, MORNING + timedelta(days=1))
    add_meeting(session, hidden, advisor, MORNING + timedelta(days=2))

    meetings = recent_meetings(session=session, viewer=advisor)

    assert len(meetings) == 10
    assert [m.occurred_at for m in meetings] == [MORNING - timedelta(days=d) for d in range(10)]
    assert {m.last_name for m in meetings} == {"Virtanen"}


def test_a_controller_sees_restricted_persons_in_their_own_list(session: Session) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    hidden = add_person(session, "Salainen", "Henkilö", restricted=True)
    add_meeting(session, hidden, controller, MORNING)

    assert [m.person_id for m in recent_meetings(session=session, viewer=controller)] == [hidden.id]


def test_follow_ups_are_those_due_from_today_to_fourteen_days_ahead(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session)
    today = date(2026, 11, 27)
    for offset in (-1, 0, 7, 14, 15):
        add_meeting(session, person, advisor, MORNING, follow_up_on=today + timedelta(days=offset))
    add_meeting(session, person, advisor, MORNING)

    due = follow_ups_due(session=session, viewer=advisor, today=today)

    assert [m.follow_up_on for m in due] == [today + timedelta(days=d) for d in (0, 7, 14)]


def _log_in_own_transaction(
    database: Database, actor_id: str, person_id: int, results: list[LoggedMeeting]
) -> None:
    with database.transaction() as session:
        actor = staff.find(session=session, slack_user_id=actor_id)
        assert actor is not None
        person = session.get(Person, person_id)
        assert person is not None
        results.append(
            log_meeting(
                session=session, actor=actor, fields=fields_for(person), idempotency_key="race"
            )
        )


def _wait_until_blocked_on_a_lock(database: Database, waiter: threading.Thread) -> None:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with database.engine.connect() as connection:
        while waiter.is_alive() and not connection.execute(query).scalar():
            connection.rollback()
            threading.Event().wait(0.01)


def test_two_requests_racing_with_one_key_save_one_meeting(database: Database) -> None:
    with database.transaction() as session:
        add_staff(session, "UADV1")
        person_id = add_person(session).id

    results: list[LoggedMeeting] = []
    with database.sessions.begin() as first:
        actor = staff.find(session=first, slack_user_id="UADV1")
        assert actor is not None
        person = first.get(Person, person_id)
        assert person is not None
        winner = log_meeting(
            session=first, actor=actor, fields=fields_for(person), idempotency_key="race"
        )
        second = threading.Thread(
            target=_log_in_own_transaction, args=(database, "UADV1", person_id, results)
        )
        second.start()
        if database.backend == "postgresql":
            _wait_until_blocked_on_a_lock(database, second)
    second.join()

    (loser,) = results
    assert winner.created and not loser.created and loser.id == winner.id
    with database.transaction() as session:
        assert meeting_count(session) == 1


def test_a_follow_up_reminder_lists_todays_and_audits_each_person_shown(
    session: Session,
) -> None:
    advisor = add_staff(session, "UADV1")
    other = add_staff(session, "UADV2")
    add_staff(session, "UGONE")
    gone = session.scalars(select(Staff).where(Staff.slack_user_id == "UGONE")).one()
    gone.active = False
    today = date(2026, 11, 27)
    maija = add_person(session, "Maija", "Mallikas")
    testi = add_person(session, "Testi", "Virtanen")
    hidden = add_person(session, "Piilo", "Rajoitettu", restricted=True)
    for person in (maija, testi, hidden):
        add_meeting(session, person, advisor, MORNING, follow_up_on=today)
    add_meeting(session, maija, advisor, MORNING, follow_up_on=today + timedelta(days=1))
    add_meeting(session, testi, other, MORNING, follow_up_on=today - timedelta(days=1))
    session.add(
        Meeting(
            person_id=maija.id,
            advisor_id=gone.id,
            occurred_at=MORNING,
            kind=MeetingKind.MEETING,
            follow_up_on=today,
            idempotency_key="gone-advisor",
        )
    )
    session.flush()

    advisors = advisors_with_follow_ups(session=session, on=today)
    reminder = follow_up_reminder(session=session, viewer=advisor, today=today, limit=1)

    assert [a.slack_user_id for a in advisors] == ["UADV1"]
    assert [(f.first_name, f.person_reference) for f in reminder.follow_ups] == [
        ("Maija", maija.reference)
    ]
    assert reminder.more == 1  # Testi Virtanen; the restricted person is not there for an advisor
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "follow_up.remind")
    ).all()
    assert [(e.actor, e.person_id, e.purpose) for e in events] == [
        ("UADV1", maija.id, Purpose.CUSTOMER_SERVICE.value)
    ]
