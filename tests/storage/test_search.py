from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import NotFound
from storage.models import AuditEvent, Meeting, Person, PhoneNumber
from storage.models.enums import MeetingKind, Purpose, Role
from storage.search import find_hit, search_persons
from storage.staff import StaffMember

ADVISOR = StaffMember(
    id=1, slack_user_id="UADVISOR", display_name="", role=Role.ADVISOR, active=True, language=None
)
CONTROLLER = StaffMember(
    id=2,
    slack_user_id="UCONTROL",
    display_name="",
    role=Role.CONTROLLER,
    active=True,
    language=None,
)
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
_references = count(1)


def add_person(
    session: Session,
    first_name: str,
    last_name: str,
    *,
    email: str | None = None,
    phones: tuple[str, ...] = (),
    restricted: bool = False,
    active_days_ago: int = 100,
) -> Person:
    person = Person(
        reference=f"R-T{next(_references):04d}",
        first_name=first_name,
        last_name=last_name,
        email=email,
        municipality="Esimerkkilä",
        restricted=restricted,
        last_activity_at=NOW - timedelta(days=active_days_ago),
        phone_numbers=[PhoneNumber(number=number) for number in phones],
    )
    session.add(person)
    session.flush()
    return person


def names(session: Session, query: str, viewer: StaffMember = ADVISOR) -> list[str]:
    result = search_persons(
        session=session, viewer=viewer, query=query, purpose=Purpose.CUSTOMER_SERVICE
    )
    return [f"{hit.first_name} {hit.last_name}" for hit in result.hits]


def test_partial_name_finds_the_person(session: Session) -> None:
    add_person(session, "Testi", "Virtanen")
    add_person(session, "Maija", "Mallikas")

    assert names(session, "virt") == ["Testi Virtanen"]
    assert names(session, "MALLI") == ["Maija Mallikas"]


def test_email_is_found_whatever_its_case(session: Session) -> None:
    add_person(session, "Maija", "Mallikas", email="maija.mallikas@example.fi")

    assert names(session, "Maija.Mallikas@EXAMPLE.fi") == ["Maija Mallikas"]


@pytest.mark.parametrize(
    "query", ["040 123 4567", "+358 40 1234567", "0401234567", "00358401234567"]
)
def test_phone_in_any_common_format(session: Session, query: str) -> None:
    add_person(session, "Testi", "Virtanen", phones=("+358401234567",))

    assert names(session, query) == ["Testi Virtanen"]


def test_restricted_person_is_hidden_from_an_advisor_and_shown_to_a_controller(
    session: Session,
) -> None:
    add_person(session, "Testi", "Virtanen", restricted=True)

    assert names(session, "virtanen") == []
    assert names(session, "virtanen", CONTROLLER) == ["Testi Virtanen"]


def test_each_shown_hit_is_audited_with_its_purpose(session: Session) -> None:
    shown = [add_person(session, "Testi", f"Virtanen{n}", active_days_ago=n) for n in range(3)]
    add_person(session, "Testi", "Virtanen9", active_days_ago=50)

    result = search_persons(
        session=session, viewer=ADVISOR, query="virtanen", purpose=Purpose.MEETING_RECORD, limit=3
    )

    assert [hit.id for hit in result.hits] == [person.id for person in shown]
    assert (result.total, result.more) == (4, 1)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.search")).all()
    assert [(event.person_id, event.actor, event.purpose) for event in events] == [
        (person.id, "UADVISOR", "meeting_record") for person in shown
    ]


def test_short_query_returns_nothing_and_audits_nothing(session: Session) -> None:
    add_person(session, "Testi", "V")

    result = search_persons(
        session=session, viewer=ADVISOR, query="v", purpose=Purpose.CUSTOMER_SERVICE
    )

    assert result.hits == [] and result.total == 0
    assert session.scalars(select(AuditEvent)).all() == []


def test_find_hit_gives_the_last_meeting_and_hides_restricted(session: Session) -> None:
    person = add_person(session, "Testi", "Virtanen")
    hidden = add_person(session, "Maija", "Mallikas", restricted=True)
    for days, key in ((10, "a"), (3, "b")):
        session.add(
            Meeting(
                person_id=person.id,
                occurred_at=NOW - timedelta(days=days),
                kind=MeetingKind.MEETING,
                idempotency_key=f"test-{person.id}-{key}",
            )
        )
    session.flush()

    hit = find_hit(session=session, viewer=ADVISOR, person_id=person.id)

    assert (hit.reference, hit.last_meeting_at) == (person.reference, NOW - timedelta(days=3))
    assert find_hit(session=session, viewer=CONTROLLER, person_id=hidden.id).id == hidden.id
    with pytest.raises(NotFound):
        find_hit(session=session, viewer=ADVISOR, person_id=hidden.id)
    with pytest.raises(NotFound):
        find_hit(session=session, viewer=ADVISOR, person_id=999_999)
