from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.home import home_overview
from storage.models import AuditEvent, AuditEventPerson, DataSubjectRequest
from storage.models.enums import Purpose, RequestChannel, RequestKind, RequestStatus, Role
from tests.people import add_meeting, add_person, add_staff

TODAY = date(2026, 11, 27)
MORNING = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def add_request(
    session: Session,
    due_on: date,
    status: RequestStatus = RequestStatus.RECEIVED,
    person_id: int | None = None,
    extended_due_on: date | None = None,
) -> DataSubjectRequest:
    request = DataSubjectRequest(
        kind=RequestKind.ACCESS,
        person_id=person_id,
        channel=RequestChannel.EMAIL,
        received_on=due_on - timedelta(days=30),
        due_on=due_on,
        extended_due_on=extended_due_on,
        status=status,
    )
    session.add(request)
    session.flush()
    return request


def home_events(session: Session, actor: str) -> list[tuple[int | None, str | None]]:
    query = (
        select(AuditEventPerson.person_id, AuditEvent.purpose)
        .outerjoin(AuditEventPerson, AuditEventPerson.event_id == AuditEvent.id)
        .where(AuditEvent.actor == actor, AuditEvent.action == "home.view")
    )
    return [(person_id, purpose) for person_id, purpose in session.execute(query)]


def test_an_advisor_sees_meetings_and_follow_ups_and_each_person_is_audited_once(
    session: Session,
) -> None:
    advisor = add_staff(session, "UADV1")
    maija = add_person(session, "Maija", "Mallikas")
    testi = add_person(session, "Testi", "Virtanen")
    add_meeting(session, maija, advisor, MORNING, follow_up_on=TODAY + timedelta(days=3))
    add_meeting(session, maija, advisor, MORNING - timedelta(days=1))
    add_meeting(session, testi, advisor, MORNING - timedelta(days=2))
    add_request(session, TODAY)

    overview = home_overview(session=session, viewer=advisor, today=TODAY)

    assert [m.first_name for m in overview.recent_meetings] == ["Maija", "Maija", "Testi"]
    assert [m.person_id for m in overview.follow_ups] == [maija.id]
    assert overview.controller is None
    purpose = Purpose.CUSTOMER_SERVICE.value
    assert sorted(home_events(session, "UADV1")) == sorted(
        [(maija.id, purpose), (testi.id, purpose)]
    )


def test_nothing_to_show_writes_no_audit_event(session: Session) -> None:
    advisor = add_staff(session, "UADV1")

    overview = home_overview(session=session, viewer=advisor, today=TODAY)

    assert overview.recent_meetings == [] and overview.follow_ups == []
    assert home_events(session, "UADV1") == []


def test_a_controller_also_sees_open_requests_by_reference_and_the_retention_count(
    session: Session,
) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    person = add_person(session, last_activity_at=datetime(2020, 1, 1, tzinfo=UTC))
    later = add_request(session, TODAY + timedelta(days=20), person_id=person.id)
    extended = add_request(
        session,
        TODAY - timedelta(days=1),
        RequestStatus.IN_PROGRESS,
        extended_due_on=TODAY + timedelta(days=40),
    )
    sooner = add_request(session, TODAY + timedelta(days=2))
    add_request(session, TODAY, RequestStatus.COMPLETED)
    add_request(session, TODAY, RequestStatus.REJECTED)

    overview = home_overview(session=session, viewer=controller, today=TODAY)

    assert overview.controller is not None
    requests = overview.controller.open_requests
    assert [r.id for r in requests] == [sooner.id, later.id, extended.id]
    assert requests[1].person_reference == person.reference
    assert requests[2].due_on == TODAY + timedelta(days=40)
    assert overview.controller.open_request_count == 3
    assert overview.controller.retention_due == 1


def test_a_fulfilled_request_stays_on_the_home_tab_until_its_answer_is_delivered(
    session: Session,
) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    fulfilled = add_request(session, TODAY + timedelta(days=3), RequestStatus.FULFILLED)
    add_request(session, TODAY, RequestStatus.COMPLETED)

    overview = home_overview(session=session, viewer=controller, today=TODAY)

    assert overview.controller is not None
    assert [(r.id, r.status) for r in overview.controller.open_requests] == [
        (fulfilled.id, RequestStatus.FULFILLED)
    ]
