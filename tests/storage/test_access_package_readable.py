"""The access package as a data subject reads it: labels and names, never column names or
codes; local times to the minute; sections in the description's order; consultations in words
without staff; an objection as an objection; a JSON whose legend explains every code."""

import json
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from storage import access_package, consents
from storage.access_package_html import to_html
from storage.models.enums import ConsentPurpose, Role
from storage.personal_tables import tables_about_a_person
from storage.readable_values import moment
from storage.register_description import PeriodsInForce
from storage.retention import RetentionPolicy
from storage.staff import StaffMember
from storage.vocabulary import COLUMNS, INTERNAL_COLUMNS
from tests.people import add_staff
from tests.personal_data import fill_every_table
from tests.storage.readable import page_text

HELSINKI = ZoneInfo("Europe/Helsinki")
CODES = (
    "female",
    "unemployed",
    "disclosure_financiers",
    "survey_tool",
    "legitimate_interest",
    "customer_service",
    "data_subject_request",
    "person.view",
    "person.access_package",
    "access_package",
    "in_progress",
)
COLUMN_NAMES = (
    "first_name",
    "birth_date",
    "filing_key",
    "creation_key",
    "person_key",
    "responsible_advisor_id",
    "advisor_id",
    "filed_by_id",
    "requester_name",
    "given_at",
)


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def _package(
    session: Session, controller: StaffMember, person_id: int, language: str, **options: object
) -> access_package.AccessPackage:
    return access_package.build_access_package(
        session=session,
        actor=controller,
        person_id=person_id,
        language=language,
        zone=HELSINKI,
        **options,  # type: ignore[arg-type]
    )


def test_the_finnish_page_names_every_field_and_value_and_no_code(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    text = page_text(to_html(_package(session, controller, filled.person.id, "fi")))
    for said in (
        "Syntymäaika",
        "14.3.1985",
        "Nainen",
        "Työtön",
        "Suomi",
        "Luovutus rahoittajille",
        "Rahoittaja",
        "Nimi, Sähköposti",
        "Tarkastuspyyntö",
        "Sähköpostilla",
        "Määräpäivä",
        "2.12.2026",
        "Jäljennös tiedoistasi",
    ):
        assert said in text, said
    words = set(re.findall(r"[\w.]+", text))
    assert not words & set(CODES), words & set(CODES)
    assert not words & set(COLUMN_NAMES), words & set(COLUMN_NAMES)


def test_times_are_the_agency_s_to_the_minute(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    text = page_text(to_html(_package(session, controller, filled.person.id, "fi")))
    # The meeting at 09:00 UTC on 2 March 2026 is 11.00 in Helsinki; a disclosure 10.00.
    assert "2.3.2026 klo 11.00" in text
    assert "3.3.2026 klo 10.00" in text
    assert not re.search(r"\d{4}-\d\d-\d\dT", text)
    english = page_text(to_html(_package(session, controller, filled.person.id, "en")))
    assert "2 Mar 2026, 11:00" in english


def test_sections_follow_the_register_description(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    html = to_html(_package(session, controller, filled.person.id, "en"))
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[:7] == [
        "You",
        "Customer, member and stakeholder relationships",
        "Meetings and other contacts",
        "Consents and objections",
        "Disclosures of your data",
        "Your requests",
        "When and why your data were consulted",
    ]
    assert headings[-1] == "About the processing"


def test_consultations_are_told_in_words_with_date_and_purpose_never_who(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    html = to_html(_package(session, controller, filled.person.id, "en"))
    text = page_text(html)
    assert "Your card was opened" in text
    assert "customer service" in text
    assert "A copy of your data was made for you" in text
    for staff in (advisor, controller):
        assert staff.slack_user_id not in html
    assert "UCONTROL" not in html


def test_an_objection_to_marketing_is_shown_as_an_objection(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    consents.object_to_marketing(
        session=session, actor=advisor, person_id=filled.person.id, on=date(2026, 10, 5)
    )
    package = _package(session, controller, filled.person.id, "fi")
    text = page_text(to_html(package))
    assert "Suoramarkkinoinnin kielto 5.10.2026 alkaen" in text
    assert "Markkinointi" not in text  # not a consent given and withdrawn the same day
    (objection,) = json.loads(access_package.to_json(package))["objections"]
    assert objection["purpose"] == "marketing"


def test_a_consent_given_and_later_withdrawn_stays_a_consent(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    for given, on in ((True, date(2026, 4, 1)), (False, date(2026, 5, 1))):
        consents.record_consent(
            session=session,
            actor=advisor,
            person_id=filled.person.id,
            purpose=ConsentPurpose.MARKETING,
            given=given,
            on=on,
        )
    text = page_text(to_html(_package(session, controller, filled.person.id, "en")))
    assert "Marketing" in text and "Objection to direct marketing" not in text


def test_the_json_keeps_every_value_with_a_legend_in_the_package_s_language(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    document = json.loads(
        access_package.to_json(_package(session, controller, filled.person.id, "fi"))
    )
    (person,) = document["data"]["persons"]
    assert person["gender"] == "female" and person["birth_date"] == "1985-03-14"
    legend = document["legend"]
    assert legend["values"]["persons.gender"]["female"] == "Nainen"
    assert legend["values"]["consents.purpose"]["disclosure_financiers"] == "Luovutus rahoittajille"
    assert legend["columns"]["persons"]["birth_date"] == "Syntymäaika"
    assert legend["consultations.action"]["person.view"] == "Korttisi avattiin"
    assert legend["consultations.purpose"]["customer_service"] == "asiakaspalvelu"
    for row in document["consultations"]:
        assert row["action"] in legend["consultations.action"]


def test_the_retention_periods_are_the_ones_in_force(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    periods = PeriodsInForce(
        policy=RetentionPolicy(customer_months=40, member_months=7, stakeholder_months=19),
        request_years=6,
        audit_years=3,
        slack_file_days=9,
    )
    package = _package(session, controller, filled.person.id, "fi", periods=periods)
    retention = package.information["retention"]
    assert any("40 kuukautta" in s for s in retention)
    assert any("7 kuukautta" in s for s in retention)
    assert any("19 kuukautta" in s for s in retention)
    assert any("6 vuotta" in s and "pyynnö" in s for s in retention)
    assert any("3 vuotta" in s and "Loki" in s for s in retention)
    assert all("{" not in s for s in retention)


def test_the_description_names_the_contact_person_processors_and_transfers(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    text = page_text(to_html(_package(session, controller, filled.person.id, "en")))
    for said in (
        "Contact person for register matters",
        "Kaj Heiniö",
        "050 371 5030".replace("050", "+358 50"),
        "+358 50 565 8000",
        "Slack",
        "Data Privacy Framework",
        "Transfers outside the EU and EEA",
    ):
        assert said in text, said


def test_every_column_is_labelled_or_kept_out_of_the_page_on_purpose() -> None:
    for table in tables_about_a_person():
        named = set(COLUMNS.get(table.name, {})) | INTERNAL_COLUMNS.get(table.name, frozenset())
        left_out = {column for name, column in access_package.LEFT_OUT if name == table.name}
        unnamed = set(table.columns.keys()) - named - left_out
        assert not unnamed, f"{table.name}: {sorted(unnamed)} have no label"
    for name, columns in (
        ("slack_files", access_package.SLACK_FILE_COLUMNS),
        ("slack_messages", access_package.SLACK_MESSAGE_COLUMNS),
    ):
        assert set(columns) - {"id"} <= set(COLUMNS[name]), name


def test_every_personal_table_is_placed_on_the_page() -> None:
    for table in tables_about_a_person():
        assert table.name in COLUMNS or table.name in INTERNAL_COLUMNS, table.name


def test_a_moment_without_a_zone_is_taken_as_utc() -> None:
    assert moment(datetime(2026, 7, 1, 6, 5), HELSINKI, "fi") == "1.7.2026 klo 9.05"
    assert moment(datetime(2026, 7, 1, 6, 5, tzinfo=UTC), HELSINKI, "en") == "1 Jul 2026, 09:05"
