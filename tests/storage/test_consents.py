from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.consents import consent_state, consents_of, object_to_marketing, record_consent
from storage.errors import NotFound
from storage.models import AuditEvent
from storage.models.enums import ConsentPurpose, Purpose, Role
from storage.staff import StaffMember
from tests.people import add_person, add_staff

SURVEY = ConsentPurpose.SATISFACTION_SURVEY


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


def test_a_consent_given_then_withdrawn_keeps_both_dates(
    session: Session, advisor: StaffMember
) -> None:
    person = add_person(session)
    given = record_consent(
        session=session,
        actor=advisor,
        person_id=person.id,
        purpose=SURVEY,
        given=True,
        on=date(2026, 3, 1),
    )
    assert given.in_force and given.given_on == date(2026, 3, 1)
    withdrawn = record_consent(
        session=session,
        actor=advisor,
        person_id=person.id,
        purpose=SURVEY,
        given=False,
        on=date(2026, 4, 2),
    )
    assert not withdrawn.in_force
    assert (withdrawn.given_on, withdrawn.withdrawn_on) == (date(2026, 3, 1), date(2026, 4, 2))
    actions = session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.person_id == person.id, AuditEvent.purpose == Purpose.CUSTOMER_SERVICE
        )
    ).all()
    assert actions == ["consent.give", "consent.withdraw"]


def test_given_again_after_withdrawal_is_in_force(session: Session, advisor: StaffMember) -> None:
    person = add_person(session)
    for given, day in ((True, 1), (False, 2), (True, 3)):
        record_consent(
            session=session,
            actor=advisor,
            person_id=person.id,
            purpose=SURVEY,
            given=given,
            on=date(2026, 5, day),
        )
    state = consent_state(session=session, person_id=person.id, purpose=SURVEY)
    assert state.in_force and state.given_on == date(2026, 5, 3)


def test_an_objection_to_marketing_needs_no_earlier_consent(
    session: Session, advisor: StaffMember
) -> None:
    person = add_person(session)
    state = object_to_marketing(
        session=session, actor=advisor, person_id=person.id, on=date(2026, 6, 1)
    )
    assert state.purpose is ConsentPurpose.MARKETING
    assert state.withdrawn_on == date(2026, 6, 1) and not state.in_force


def test_every_purpose_is_listed_never_asked_ones_without_dates(
    session: Session, advisor: StaffMember
) -> None:
    person = add_person(session)
    views = consents_of(session=session, person_id=person.id)
    assert [v.purpose for v in views] == list(ConsentPurpose)
    assert all(v.given_on is None and v.withdrawn_on is None for v in views)


def test_an_advisor_cannot_record_a_restricted_persons_consent(
    session: Session, advisor: StaffMember
) -> None:
    person = add_person(session, restricted=True)
    with pytest.raises(NotFound):
        record_consent(
            session=session,
            actor=advisor,
            person_id=person.id,
            purpose=SURVEY,
            given=True,
            on=date(2026, 3, 1),
        )
