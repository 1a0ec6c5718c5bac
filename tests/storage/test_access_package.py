import json
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import access_package, audit, erasure
from storage.access_package_html import to_html
from storage.errors import NotFound, PermissionDenied
from storage.models import AuditEvent, Person
from storage.models.enums import Purpose, Role
from storage.register_description import load_descriptions
from storage.staff import StaffMember
from tests.people import add_staff
from tests.personal_data import fill_every_table


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def test_the_package_holds_every_table_of_the_person(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    package = access_package.build_access_package(
        session=session, actor=controller, person_id=filled.person.id, language="fi"
    )
    assert package.person_reference == filled.person.reference
    (person,) = package.data["persons"]
    assert person["first_name"] == "Maija"
    assert person["birth_date"] == date(1985, 3, 14)
    assert person["gender"] == "female"
    assert "search_name" not in person
    assert "person_key" not in person
    assert sorted(p["number"] for p in package.data["phone_numbers"]) == [
        "+358401234567",
        "+358501234567",
    ]
    assert len(package.data["meetings"]) == 1
    assert "idempotency_key" not in package.data["meetings"][0]
    assert len(package.data["consents"]) == 1
    assert {d["recipient"] for d in package.data["disclosures"]} == {
        "Esimerkkirahoitus Oy",
        "Kyselytyökalu",
    }
    assert package.data["data_subject_requests"][0]["id"] == filled.request_id
    assert package.data["relationships"][0]["kind"] == "customer"


def test_consultations_give_dates_and_purposes_not_who(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    package = access_package.build_access_package(
        session=session, actor=controller, person_id=filled.person.id, language="en"
    )
    purposes = [c.purpose for c in package.consultations]
    assert purposes == [Purpose.CUSTOMER_SERVICE, Purpose.DATA_SUBJECT_REQUEST]
    document = json.loads(access_package.to_json(package))
    assert set(document["consultations"][0]) == {"at", "action", "purpose"}
    assert advisor.slack_user_id not in access_package.to_json(package)


def test_a_search_that_showed_several_persons_is_in_each_ones_package(
    session: Session, controller: StaffMember
) -> None:
    shown = [Person(reference=f"R-SHOW{n}", first_name="Testi", last_name="Haku") for n in (1, 2)]
    session.add_all(shown)
    session.flush()
    audit.record_many(
        session=session,
        actor="UADVISOR",
        action="person.search",
        person_ids=[person.id for person in shown],
        purpose=Purpose.CUSTOMER_SERVICE,
    )

    for person in shown:
        package = access_package.build_access_package(
            session=session, actor=controller, person_id=person.id, language="fi", audited=False
        )
        assert [(c.action, c.purpose) for c in package.consultations] == [
            ("person.search", Purpose.CUSTOMER_SERVICE)
        ]


def test_building_the_package_is_audited(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    access_package.build_access_package(
        session=session, actor=controller, person_id=filled.person.id, language="fi"
    )
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None
    assert (last.actor, last.action, last.person_id, last.purpose) == (
        controller.slack_user_id,
        "person.access_package",
        filled.person.id,
        Purpose.DATA_SUBJECT_REQUEST,
    )


@pytest.mark.parametrize(
    ("language", "complaint"),
    [("fi", "tietosuojavaltuutetun"), ("en", "Data Protection Ombudsman")],
)
def test_the_article_15_information_comes_in_the_requesters_language(
    session: Session, advisor: StaffMember, controller: StaffMember, language: str, complaint: str
) -> None:
    filled = fill_every_table(session, advisor)
    package = access_package.build_access_package(
        session=session, actor=controller, person_id=filled.person.id, language=language
    )
    information = json.loads(access_package.to_json(package))["information"]
    for key in (
        "purposes",
        "categories",
        "recipients",
        "retention",
        "rights",
        "complaint",
        "source",
        "automated_decisions",
    ):
        assert information[key], key
    assert complaint in information["complaint"]
    assert complaint in to_html(package)


def test_both_descriptions_say_the_same_things() -> None:
    descriptions = load_descriptions()
    finnish, english = descriptions.fi.model_dump(), descriptions.en.model_dump()
    assert set(finnish) == set(english)
    for key, value in finnish.items():
        if isinstance(value, list):
            assert len(value) == len(english[key]), key


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.links += [value or "" for name, value in attrs if name in ("src", "href")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_page_escapes_everything_and_loads_nothing(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor, first_name="<script>alert(1)</script><!channel>")
    package = access_package.build_access_package(
        session=session, actor=controller, person_id=filled.person.id, language="fi"
    )
    html = to_html(package)
    page = Page()
    page.feed(html)
    assert "script" not in page.tags
    assert page.links == []
    assert "<!channel>" not in html
    assert "&lt;script&gt;" in html
    assert any("<script>alert(1)</script><!channel>" in text for text in page.text)


def test_an_advisor_cannot_build_a_package(session: Session, advisor: StaffMember) -> None:
    filled = fill_every_table(session, advisor)
    with pytest.raises(PermissionDenied):
        access_package.build_access_package(
            session=session, actor=advisor, person_id=filled.person.id, language="fi"
        )


def test_no_package_for_nobody(session: Session, controller: StaffMember) -> None:
    with pytest.raises(NotFound):
        access_package.build_access_package(
            session=session, actor=controller, person_id=999_999, language="fi"
        )


def test_an_id_once_held_by_an_erased_person_brings_none_of_their_consultations(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    erased = fill_every_table(session, advisor)
    person_id = erased.person.id
    erasure.erase(session=session, actor=controller, person_id=person_id, request_id=None)
    # Someone else under the same id, as a restored sequence would give it.
    newcomer = Person(id=person_id, reference="R-OTHER", first_name="Uusi", last_name="Tulija")
    session.add(newcomer)
    session.flush()
    audit.record(
        session=session,
        actor=advisor.slack_user_id,
        action="person.view",
        person_id=person_id,
        purpose=Purpose.CUSTOMER_SERVICE,
    )

    package = access_package.build_access_package(
        session=session, actor=controller, person_id=person_id, language="fi"
    )

    assert [c.action for c in package.consultations] == ["person.view", "person.access_package"]
    assert all(c.at >= newcomer.created_at for c in package.consultations)
