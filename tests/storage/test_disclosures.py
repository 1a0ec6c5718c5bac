from datetime import date

import pytest
from sqlalchemy.orm import Session

from storage.consents import record_consent
from storage.disclosures import ConsentMissing, record_disclosure
from storage.errors import PermissionDenied, PersonRestricted
from storage.models.enums import ConsentPurpose, RecipientKind, Role
from storage.requests import recipients_to_notify
from storage.staff import StaffMember
from tests.people import add_person, add_staff


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def _disclose(session: Session, actor: StaffMember, person_id: int) -> None:
    record_disclosure(
        session=session,
        actor=actor,
        person_id=person_id,
        recipient="Esimerkki Finance Oy",
        recipient_kind=RecipientKind.FINANCIER,
        categories=["name", "email"],
    )


def test_a_disclosure_without_consent_is_refused(session: Session, controller: StaffMember) -> None:
    person = add_person(session)
    with pytest.raises(ConsentMissing) as refused:
        _disclose(session, controller, person.id)
    assert refused.value.purpose is ConsentPurpose.DISCLOSURE_FINANCIERS
    assert recipients_to_notify(session=session, person_id=person.id) == []


def test_a_withdrawn_consent_refuses_it_too(session: Session, controller: StaffMember) -> None:
    person = add_person(session)
    for given in (True, False):
        record_consent(
            session=session,
            actor=controller,
            person_id=person.id,
            purpose=ConsentPurpose.DISCLOSURE_FINANCIERS,
            given=given,
            on=date(2026, 2, 1),
        )
    with pytest.raises(ConsentMissing):
        _disclose(session, controller, person.id)


def test_with_consent_the_recipient_is_recorded(session: Session, controller: StaffMember) -> None:
    person = add_person(session)
    record_consent(
        session=session,
        actor=controller,
        person_id=person.id,
        purpose=ConsentPurpose.DISCLOSURE_FINANCIERS,
        given=True,
        on=date(2026, 2, 1),
    )
    _disclose(session, controller, person.id)
    (recipient,) = recipients_to_notify(session=session, person_id=person.id)
    assert recipient.recipient == "Esimerkki Finance Oy"


def test_a_restricted_person_is_never_disclosed(session: Session, controller: StaffMember) -> None:
    person = add_person(session, restricted=True)
    with pytest.raises(PersonRestricted):
        _disclose(session, controller, person.id)


def test_an_advisor_cannot_record_a_disclosure(session: Session) -> None:
    advisor = add_staff(session, "UADVISOR", Role.ADVISOR)
    with pytest.raises(PermissionDenied):
        _disclose(session, advisor, add_person(session).id)
