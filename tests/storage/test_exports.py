import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import access_package
from storage.consents import object_to_marketing, record_consent
from storage.errors import PermissionDenied
from storage.exports import SurveyRecipient, survey_csv, survey_recipients
from storage.models import AuditEvent, Person
from storage.models.enums import ConsentPurpose, Purpose, RecipientKind, Role
from storage.requests import recipients_to_notify
from storage.staff import StaffMember
from tests.people import add_meeting, add_person, add_staff

START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)
IN_PERIOD = datetime(2026, 3, 15, 10, tzinfo=UTC)


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def _met(session: Session, advisor: StaffMember, last_name: str, **fields: object) -> Person:
    person = add_person(session, "Testi", last_name, **fields)  # type: ignore[arg-type]
    add_meeting(session, person, advisor, IN_PERIOD)
    return person


def _export(session: Session, controller: StaffMember) -> list[SurveyRecipient]:
    return survey_recipients(session=session, actor=controller, start=START, end=END)


def test_only_those_met_in_the_period_are_sent(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    met = _met(session, advisor, "Aaltonen", email="testi.aaltonen@example.fi")
    earlier = add_person(session, "Maija", "Mallikas")
    add_meeting(session, earlier, advisor, datetime(2026, 2, 28, 12, tzinfo=UTC))
    assert _export(session, controller) == [
        SurveyRecipient("Testi", "Aaltonen", "testi.aaltonen@example.fi", met.id)
    ]
    assert met.id is not None


def test_restricted_objected_withdrawn_and_no_email_are_left_out(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    kept = _met(session, advisor, "Kept")
    _met(session, advisor, "Restricted", restricted=True)
    objected = _met(session, advisor, "Objected")
    object_to_marketing(session=session, actor=advisor, person_id=objected.id, on=date(2026, 3, 2))
    withdrew = _met(session, advisor, "Withdrew")
    for given in (True, False):
        record_consent(
            session=session,
            actor=advisor,
            person_id=withdrew.id,
            purpose=ConsentPurpose.SATISFACTION_SURVEY,
            given=given,
            on=date(2026, 3, 3),
        )
    no_email = _met(session, advisor, "NoEmail")
    no_email.email = None
    session.flush()
    assert [r.last_name for r in _export(session, controller)] == [kept.last_name]


def test_each_transfer_is_a_disclosure_the_access_package_lists(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    person = _met(session, advisor, "Virtanen")
    _export(session, controller)
    (recipient,) = recipients_to_notify(session=session, person_id=person.id)
    assert recipient.recipient_kind is RecipientKind.SURVEY_TOOL
    assert recipient.categories == ("name", "email")
    package = access_package.build_access_package(
        session=session, actor=controller, person_id=person.id, language="en"
    )
    (disclosure,) = package.data["disclosures"]
    assert disclosure["recipient"] == "satisfaction survey"
    assert disclosure["legal_basis"] == "legitimate_interest"
    assert (
        session.scalar(
            select(AuditEvent.purpose).where(
                AuditEvent.person_id == person.id, AuditEvent.action == "person.survey_export"
            )
        )
        == Purpose.SATISFACTION_SURVEY
    )


def test_the_csv_opens_in_a_finnish_spreadsheet_with_formulas_as_text() -> None:
    data = survey_csv(
        [
            SurveyRecipient("Testi", "Äijälä", "testi@example.fi", 1),
            SurveyRecipient('=HYPERLINK("https://x.invalid";"Avaa")', "Kokeilu", "k@example.fi", 2),
        ]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [
        ["first_name", "last_name", "email"],
        ["Testi", "Äijälä", "testi@example.fi"],
        ['\'=HYPERLINK("https://x.invalid";"Avaa")', "Kokeilu", "k@example.fi"],
    ]


def test_an_advisor_cannot_export(session: Session, advisor: StaffMember) -> None:
    with pytest.raises(PermissionDenied):
        _export(session, advisor)
