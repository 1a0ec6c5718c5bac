import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import restriction, search
from storage.errors import InvalidRequest, PermissionDenied
from storage.models import AuditEvent, Person
from storage.models.enums import Purpose, Role
from storage.staff import StaffMember
from tests.people import add_person, add_staff
from tests.personal_data import fill_every_table


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def found_by(session: Session, viewer: StaffMember, query: str) -> bool:
    result = search.search_persons(
        session=session, viewer=viewer, query=query, purpose=Purpose.CUSTOMER_SERVICE
    )
    return bool(result.hits)


def test_restriction_hides_the_person_from_advisors_and_lists_recipients(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor, first_name="Rajattava")
    done = restriction.restrict(
        session=session,
        actor=controller,
        person_id=filled.person.id,
        reason="Tietojen paikkansapitävyys kiistetty",
        request_id=filled.request_id,
    )
    person = session.get(Person, filled.person.id)
    assert person is not None
    assert person.restricted
    assert person.restriction_reason == "Tietojen paikkansapitävyys kiistetty"
    assert person.restricted_since is not None
    assert {r.recipient for r in done.recipients} == {"Esimerkkirahoitus Oy", "Kyselytyökalu"}
    assert not found_by(session, advisor, "Rajattava")
    assert found_by(session, controller, "Rajattava")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.restrict")).one()
    assert event.purpose == Purpose.DATA_SUBJECT_REQUEST


def test_lifting_is_a_separate_act(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    person = add_person(session, "Palautuva", "Rajaus")
    restriction.restrict(
        session=session, actor=controller, person_id=person.id, reason="Kiistetty", request_id=None
    )
    with pytest.raises(InvalidRequest):
        restriction.restrict(
            session=session, actor=controller, person_id=person.id, reason="x", request_id=None
        )
    restriction.lift_restriction(session=session, actor=controller, person_id=person.id)
    assert not person.restricted
    assert person.restriction_reason is None
    assert found_by(session, advisor, "Palautuva")
    with pytest.raises(InvalidRequest):
        restriction.lift_restriction(session=session, actor=controller, person_id=person.id)


def test_advisors_neither_restrict_nor_lift(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    person = add_person(session)
    with pytest.raises(PermissionDenied):
        restriction.restrict(
            session=session, actor=advisor, person_id=person.id, reason="x", request_id=None
        )
    restriction.restrict(
        session=session, actor=controller, person_id=person.id, reason="x", request_id=None
    )
    with pytest.raises(PermissionDenied):
        restriction.lift_restriction(session=session, actor=advisor, person_id=person.id)
