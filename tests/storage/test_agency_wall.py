"""The wall between agencies in storage's own statements (the search's prebuilt statements and
tables, and the Core statements outside the audit trail): two agencies in one database, each
with a Testi Virtanen, and nothing of one reaches the other. On both databases."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import bulk_lookups, erasure, exports, home, reports, retention, search, staff
from storage.access_package import build_access_package
from storage.db import Database
from storage.errors import NotFound
from storage.meetings import MeetingFields, log_meeting
from storage.models import THE_AGENCY, Person
from storage.models.enums import (
    MeetingKind,
    Purpose,
    RequestChannel,
    RequestKind,
    Role,
)
from storage.requests import RequestFiling, file_request
from storage.search_words import known_words, terms, words_holding
from storage.staff import StaffMember
from tests.people import add_meeting, add_person, add_staff

SLACK_USER = "UCONTROL"
EMAIL = "testi.virtanen@example.fi"
PHONE = "+358401234567"
MET_AT = datetime(2026, 3, 2, 10, tzinfo=UTC)
TODAY = date(2026, 6, 1)


@dataclass(frozen=True)
class Register:
    """One agency's register: its controller (the same Slack user id in both) and its Testi
    Virtanen."""

    agency: int
    controller: StaffMember
    virtanen: int
    virtanen_reference: str


def _register(database: Database, agency: int) -> Register:
    with database.transaction(agency=agency) as session:
        controller = add_staff(session, SLACK_USER, Role.CONTROLLER)
        person = add_person(session, "Testi", "Virtanen", email=EMAIL, phone_numbers=(PHONE,))
        add_meeting(session, person, controller, MET_AT)
        return Register(agency, controller, person.id, person.reference)


@pytest.fixture
def ours(database: Database) -> Register:
    return _register(database, THE_AGENCY)


@pytest.fixture
def theirs(database: Database, other_agency: int) -> Register:
    """The other agency's register: a Testi Virtanen too, and a Maija Korhonen, long inactive,
    whom only it has."""
    register = _register(database, other_agency)
    with database.transaction(agency=other_agency) as session:
        add_person(
            session,
            "Maija",
            "Korhonen",
            last_activity_at=datetime(2010, 1, 1, tzinfo=UTC),
            phone_numbers=("+358409999999",),
        )
    return register


@pytest.fixture
def in_ours(database: Database, ours: Register, theirs: Register) -> Iterator[Session]:
    with database.transaction() as session:
        yield session


def found(session: Session, register: Register, query: str) -> list[int]:
    result = search.search_persons(
        session=session,
        viewer=register.controller,
        query=query,
        purpose=Purpose.CUSTOMER_SERVICE,
    )
    return [hit.id for hit in result.hits]


@pytest.mark.parametrize(
    "query",
    ["Virtanen", "virt", "Testi Virtanen", "rtanen", "Virtamen", EMAIL, "testi.virtanen@", PHONE],
)
def test_a_search_finds_only_its_agencys_testi_virtanen(
    in_ours: Session, ours: Register, theirs: Register, query: str
) -> None:
    assert found(in_ours, ours, query) == [ours.virtanen]


@pytest.mark.parametrize(
    "query", ["Korhonen", "korh", "Maija Korhonen", "honen", "Korhomen", "+358409999999"]
)
def test_a_search_never_finds_the_other_agencys_persons(
    in_ours: Session, ours: Register, query: str
) -> None:
    assert found(in_ours, ours, query) == []
    assert found(in_ours, ours, ours.virtanen_reference) == [ours.virtanen]


def test_the_same_name_in_both_registers_stays_two_people(
    database: Database, ours: Register, theirs: Register
) -> None:
    assert ours.virtanen != theirs.virtanen
    with database.transaction(agency=theirs.agency) as session:
        assert found(session, theirs, "Testi Virtanen") == [theirs.virtanen]
        assert found(session, theirs, ours.virtanen_reference) == []


def test_typo_suggestions_and_word_counts_are_the_agencys_own(
    database: Database, in_ours: Session, ours: Register, theirs: Register
) -> None:
    assert words_holding(in_ours, [[" korh"], ["onen"]]) == []
    assert words_holding(in_ours, [[" virt"]]) == ["virtanen"]
    counts = in_ours.execute(
        select(known_words.c.agency_id, known_words.c.persons).where(
            known_words.c.word == "virtanen"
        )
    ).all()
    assert sorted(counts) == sorted([(ours.agency, 1), (theirs.agency, 1)])
    term_agencies = in_ours.execute(
        select(terms.c.person_id, terms.c.agency_id).where(terms.c.term == "virtanen ")
    ).all()
    assert sorted(term_agencies) == sorted(
        [(ours.virtanen, ours.agency), (theirs.virtanen, theirs.agency)]
    )


def test_a_hit_of_the_other_agency_is_not_found(
    in_ours: Session, ours: Register, theirs: Register
) -> None:
    with pytest.raises(NotFound):
        search.find_hit(session=in_ours, viewer=ours.controller, person_id=theirs.virtanen)


def test_the_same_slack_user_reference_and_idempotency_key_in_both_agencies(
    database: Database, ours: Register, theirs: Register
) -> None:
    with database.transaction(agency=theirs.agency) as session:
        person = session.get(Person, theirs.virtanen)
        assert person is not None
        person.reference = ours.virtanen_reference
    for register in (ours, theirs):
        with database.transaction(agency=register.agency) as session:
            member = staff.find(session=session, slack_user_id=SLACK_USER)
            assert member is not None
            assert member.id == register.controller.id
            fields = MeetingFields(
                person_id=register.virtanen,
                occurred_at=MET_AT + timedelta(days=1),
                duration_minutes=30,
                kind=MeetingKind.PHONE,
                topic=None,
                notes=None,
                follow_up_on=None,
            )
            logged = log_meeting(
                session=session, actor=register.controller, fields=fields, idempotency_key="k-1"
            )
            assert logged.created
    with database.transaction() as session:
        assert found(session, ours, ours.virtanen_reference) == [ours.virtanen]


def test_home_reports_and_survey_list_show_only_the_agencys_own(
    database: Database, ours: Register, theirs: Register
) -> None:
    with database.transaction(agency=theirs.agency) as session:
        file_request(
            session=session,
            actor=theirs.controller,
            filing=RequestFiling(
                kind=RequestKind.ACCESS,
                channel=RequestChannel.EMAIL,
                received_on=TODAY,
                person_id=theirs.virtanen,
            ),
            today=TODAY,
        )
        for _ in range(reports.SMALL_CELL):
            add_meeting(
                session, session.get_one(Person, theirs.virtanen), theirs.controller, MET_AT
            )
    with database.transaction() as session:
        assert home.open_requests(session=session) == ([], 0)
        report = reports.build_report(
            session=session, actor=ours.controller, period=reports.Period.year(2026)
        )
        assert report.meetings == reports.suppress(1)
        survey = exports.survey_recipients(
            session=session,
            actor=ours.controller,
            start=datetime(2026, 1, 1, tzinfo=UTC),
            end=datetime(2027, 1, 1, tzinfo=UTC),
        )
        assert [recipient.person_id for recipient in survey] == [ours.virtanen]


def test_retention_and_bulk_look_ups_count_only_the_agencys_own(
    database: Database, ours: Register, theirs: Register
) -> None:
    with database.transaction(agency=theirs.agency) as session:
        assert retention.count_due(session=session, today=TODAY) == 1
        for _ in range(3):
            search.read_hit(
                session=session,
                viewer=theirs.controller,
                person_id=theirs.virtanen,
                action=bulk_lookups.CARD_OPENED,
                purpose=Purpose.CUSTOMER_SERVICE,
            )
    with database.transaction() as session:
        assert retention.count_due(session=session, today=TODAY) == 0
        assert retention.due_for_review(session=session, today=TODAY) == []
        limit = bulk_lookups.BulkLookupLimit(threshold=1, window=timedelta(days=1))
        assert bulk_lookups.note_card_opened(session=session, actor=SLACK_USER, limit=limit) is None


def test_the_access_package_holds_only_the_agencys_rows(
    database: Database, ours: Register, theirs: Register
) -> None:
    with database.transaction() as session:
        package = build_access_package(
            session=session, actor=ours.controller, person_id=ours.virtanen, language="fi"
        )
        assert [row["id"] for row in package.data["persons"]] == [ours.virtanen]
        assert [row["number"] for row in package.data["phone_numbers"]] == [PHONE]
        assert len(package.data["meetings"]) == 1
        with pytest.raises(NotFound):
            build_access_package(
                session=session, actor=ours.controller, person_id=theirs.virtanen, language="fi"
            )


def test_erasing_a_person_leaves_the_other_agencys_namesake(
    database: Database, ours: Register, theirs: Register
) -> None:
    with database.transaction() as session:
        with pytest.raises(NotFound):
            erasure.erasure_plan(session=session, actor=ours.controller, person_id=theirs.virtanen)
        plan = erasure.erasure_plan(session=session, actor=ours.controller, person_id=ours.virtanen)
        assert {rows.table: rows.rows for rows in plan.deleted}["meetings"] == 1
        erasure.erase(
            session=session, actor=ours.controller, person_id=ours.virtanen, request_id=None
        )
        assert found(session, ours, "Virtanen") == []
    with database.transaction(agency=theirs.agency) as session:
        assert session.get(Person, theirs.virtanen) is not None
        assert found(session, theirs, "Virtanen") == [theirs.virtanen]
        assert found(session, theirs, "Virtamen") == [theirs.virtanen]
        words = session.scalar(
            select(func.count())
            .select_from(known_words)
            .where(known_words.c.word == "virtanen", known_words.c.agency_id == theirs.agency)
        )
        assert words == 1
