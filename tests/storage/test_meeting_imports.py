"""Bringing in an earlier register's meetings: the person by reference or e-mail, the advisor
by Slack user id, each meeting once however often the file comes in."""

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.meeting_imports import MeetingImport, MeetingProblem, MeetingRow
from storage.models import AuditEvent, Meeting
from storage.models.enums import MeetingKind, Purpose
from tests.people import add_person, add_staff


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def meeting(line: int, person: str, **changes: object) -> MeetingRow:
    values: dict[str, object] = dict(
        line=line,
        person=person,
        advisor=None,
        occurred_at=datetime(2019, 5, 6, 10, tzinfo=UTC),
        duration_minutes=60,
        kind=MeetingKind.MEETING,
        topic="Liiketoimintasuunnitelma",
        notes=None,
        follow_up_on=date(2019, 6, 1),
    )
    values.update(changes)
    return MeetingRow(**values)  # type: ignore[arg-type]


def test_meetings_find_their_person_by_reference_or_e_mail_and_come_in_once(
    session: Session,
) -> None:
    advisor = add_staff(session, "UADVOLD")
    person = add_person(
        session,
        email="testi.virtanen@example.fi",
        last_activity_at=datetime(2018, 1, 1, tzinfo=UTC),
    )
    rows = [
        meeting(2, person.reference.lower(), advisor="UADVOLD"),
        meeting(3, "Testi.Virtanen@Example.fi", occurred_at=datetime(2020, 2, 3, 9, tzinfo=UTC)),
        meeting(4, person.reference, advisor="UADVOLD"),  # the same as line 2
    ]

    batch = MeetingImport(dry_run=False).add(session=session, rows=rows)
    again = MeetingImport(dry_run=False).add(session=session, rows=rows)

    assert batch.imported == [2, 3] and [(s.line, s.of_line) for s in batch.skipped] == [(4, 2)]
    assert again.imported == [] and [(s.line, s.of_line) for s in again.skipped] == [
        (2, None),
        (3, None),
        (4, None),
    ]
    saved = session.scalars(select(Meeting).order_by(Meeting.occurred_at)).all()
    assert [(m.person_id, m.advisor_id) for m in saved] == [
        (person.id, advisor.id),
        (person.id, None),
    ]
    assert all(m.idempotency_key.startswith("import:") for m in saved)
    session.refresh(person)
    assert person.last_activity_at == datetime(2020, 2, 3, 9, tzinfo=UTC)
    events = session.execute(
        select(AuditEvent.action, AuditEvent.person_id, AuditEvent.purpose).where(
            AuditEvent.action == "meeting.import"
        )
    ).all()
    # The batch is one act: one event, naming the one person both meetings are with.
    assert events == [("meeting.import", person.id, Purpose.IMPORT)]


def test_a_meeting_whose_person_or_advisor_is_not_found_is_refused(session: Session) -> None:
    add_person(session, email="jaettu@example.fi")
    add_person(session, "Toinen", "Samaosoite", email="jaettu@example.fi")
    person = add_person(session, "Kolmas", "Henkilö")
    restricted = add_person(session, "Neljäs", "Rajoitettu", email="neljas@example.fi")
    restricted.restricted = True

    batch = MeetingImport(dry_run=False).add(
        session=session,
        rows=[
            meeting(2, "R-NOONE"),
            meeting(3, "jaettu@example.fi"),
            meeting(4, person.reference, advisor="UNOSUCH"),
            meeting(5, restricted.reference),
            meeting(6, "neljas@example.fi"),
        ],
    )

    assert batch.imported == []
    assert [(r.line, r.field, r.problem) for r in batch.refused] == [
        (2, "person", MeetingProblem.NO_SUCH_PERSON),
        (3, "person", MeetingProblem.SEVERAL_PERSONS),
        (4, "advisor", MeetingProblem.NO_SUCH_ADVISOR),
        (5, "person", MeetingProblem.PERSON_RESTRICTED),
        (6, "person", MeetingProblem.PERSON_RESTRICTED),
    ]
    assert count(session, Meeting) == 0


def test_a_dry_run_of_meetings_writes_nothing(session: Session) -> None:
    person = add_person(session)
    events = count(session, AuditEvent)

    batch = MeetingImport(dry_run=True).add(session=session, rows=[meeting(2, person.reference)])

    assert batch.imported == [2]
    assert count(session, Meeting) == 0 and count(session, AuditEvent) == events
