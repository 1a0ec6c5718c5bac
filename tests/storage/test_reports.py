import random
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import reports
from storage.errors import InvalidRequest, PermissionDenied
from storage.models import AuditEvent, Person, Relationship
from storage.models.enums import Gender, LegalBasis, RelationshipKind, Role
from storage.reports import (
    HIDDEN,
    SUPPRESSED,
    AgeBand,
    Count,
    Period,
    Row,
    protect,
    suppress,
)
from storage.staff import StaffMember
from tests.people import add_meeting, add_person, add_staff

SPRING = Period(date(2026, 1, 1), date(2026, 6, 30))


def met(
    session: Session,
    advisor: StaffMember,
    count: int,
    *,
    municipality: str = "Esimerkkilä",
    on: datetime = datetime(2026, 3, 2, 9, tzinfo=UTC),
    restricted: bool = False,
) -> list[Person]:
    people = []
    for _ in range(count):
        person = add_person(session, municipality=municipality, restricted=restricted)
        add_meeting(session, person, advisor, on)
        people.append(person)
    return people


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL1", Role.CONTROLLER)


def test_a_suppressed_cell_cannot_be_worked_out_from_the_total(
    session: Session, controller: StaffMember
) -> None:
    """10 customers met, 6 in Esimerkkilä: showing the 6 would give Testikylä's 4 away."""
    met(session, controller, 6, municipality="Esimerkkilä")
    met(session, controller, 4, municipality="Testikylä")

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    assert report.breakdowns["municipality"] == (
        Row("Esimerkkilä", HIDDEN),
        Row("Testikylä", SUPPRESSED),
    )
    assert report.customers_met == 10
    assert report.meetings_by_kind == (Row("meeting", 10),)


def test_every_count_under_five_is_suppressed_including_totals(
    session: Session, controller: StaffMember
) -> None:
    met(session, controller, 3)

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    assert report.customers_met == SUPPRESSED
    assert report.meetings == SUPPRESSED
    assert report.meetings_by_kind == (Row("meeting", SUPPRESSED),)
    assert report.breakdowns["gender"] == (Row(None, SUPPRESSED),)
    assert [row.count for row in report.meetings_by_month] == [0, 0, SUPPRESSED, 0, 0, 0]
    assert report.has_data


def test_a_period_with_nothing_in_it_reads_zero_and_says_so(
    session: Session, controller: StaffMember
) -> None:
    met(session, controller, 6, on=datetime(2025, 3, 2, 9, tzinfo=UTC))

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    assert not report.has_data
    assert (report.new_customers, report.customers_met, report.meetings) == (0, 0, 0)
    assert {row.count for row in report.meetings_by_month} == {0}
    assert report.meetings_by_kind == () and report.breakdowns["gender"] == ()


def test_a_month_without_meetings_reads_zero_beside_months_with_them(
    session: Session, controller: StaffMember
) -> None:
    met(session, controller, 6, on=datetime(2026, 1, 12, 9, tzinfo=UTC))
    met(session, controller, 2, on=datetime(2026, 2, 12, 9, tzinfo=UTC))
    met(session, controller, 7, on=datetime(2026, 4, 12, 9, tzinfo=UTC))

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    # February's 2 are suppressed, and January's 6 (the smallest shown above zero) hidden with
    # them; March, May and June had none.
    assert [row.count for row in report.meetings_by_month] == [HIDDEN, SUPPRESSED, 0, 7, 0, 0]


def test_restricted_persons_are_left_out(session: Session, controller: StaffMember) -> None:
    met(session, controller, 5)
    met(session, controller, 3, restricted=True)

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    assert report.customers_met == 5
    assert report.meetings == 5
    assert report.breakdowns["municipality"] == (Row("Esimerkkilä", 5),)


def test_only_meetings_in_the_period_count(session: Session, controller: StaffMember) -> None:
    met(session, controller, 5, on=datetime(2026, 6, 30, 20, tzinfo=UTC))
    met(session, controller, 5, on=datetime(2026, 6, 30, 21, 30, tzinfo=UTC))
    met(session, controller, 5, on=datetime(2025, 12, 31, 22, 30, tzinfo=UTC))

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    # 21:30 UTC on 30 June is already 1 July in Helsinki; on 31 December it is New Year.
    assert report.meetings == 10
    assert report.meetings_by_month[0] == Row("2026-01", 5)
    assert report.meetings_by_month[-1] == Row("2026-06", 5)
    assert len(report.meetings_by_month) == 6


def test_new_customers_are_those_whose_customer_relationship_started_in_the_period(
    session: Session, controller: StaffMember
) -> None:
    for started in [date(2026, 2, 1)] * 6 + [date(2025, 12, 31)] * 5:
        person = add_person(session, relationships=())
        person.relationships = [
            Relationship(
                kind=RelationshipKind.CUSTOMER,
                started_on=started,
                legal_basis=LegalBasis.CONTRACT,
            )
        ]
    session.flush()

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    assert report.new_customers == 6


def test_age_bands_are_counted_at_the_periods_end(
    session: Session, controller: StaffMember
) -> None:
    for person in met(session, controller, 5):
        person.birth_date = date(2001, 7, 1)
        person.gender = Gender.FEMALE
    for person in met(session, controller, 5):
        person.birth_date = date(2001, 6, 30)
    session.flush()

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    assert report.breakdowns["age_band"] == (
        Row(AgeBand.UNDER_25.value, 5),
        Row(AgeBand.FROM_25.value, 5),
    )
    assert report.breakdowns["gender"] == (Row("female", 5), Row(None, 5))


def test_a_report_is_audited_once_without_person_ids(
    session: Session, controller: StaffMember
) -> None:
    met(session, controller, 5)

    reports.build_report(session=session, actor=controller, period=SPRING)

    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.view")).all()
    assert [(e.actor, e.person_id, e.purpose) for e in events] == [("UCONTROL1", None, "reporting")]


def test_an_advisor_may_not_build_a_report(session: Session) -> None:
    advisor = add_staff(session, "UADVISOR1")
    with pytest.raises(PermissionDenied):
        reports.build_report(session=session, actor=advisor, period=SPRING)


def test_periods_are_whole_months() -> None:
    assert Period.year(2025) == Period(date(2025, 1, 1), date(2025, 12, 31))
    assert Period.months(date(2024, 2, 17), date(2024, 2, 3)) == Period(
        date(2024, 2, 1), date(2024, 2, 29)
    )
    assert Period.months(date(2025, 11, 5), date(2026, 1, 9)) == Period(
        date(2025, 11, 1), date(2026, 1, 31)
    )
    for start, end in (
        (date(2026, 2, 1), date(2026, 1, 31)),
        (date(2026, 1, 2), date(2026, 1, 31)),
        (date(2026, 1, 1), date(2026, 1, 30)),
        (date(2026, 3, 1), date(2026, 3, 15)),
    ):
        with pytest.raises(InvalidRequest):
            Period(start, end)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_no_hidden_cell_is_one_subtraction_from_the_shown_ones(counts: list[int]) -> None:
    shown = protect(counts)
    total = suppress(sum(counts))

    assert [c for c, s in zip(counts, shown, strict=True) if isinstance(s, int)] == [
        s for s in shown if isinstance(s, int)
    ]
    assert all(
        isinstance(s, int) or c < 5 or s == HIDDEN for c, s in zip(counts, shown, strict=True)
    )
    hidden = [s for s in shown if not isinstance(s, int)]
    assert all(s == 0 for c, s in zip(counts, shown, strict=True) if c == 0)
    if isinstance(total, int):
        # The total less the shown cells is the sum of the hidden ones: never a single cell.
        assert len(hidden) != 1
    else:
        assert len(hidden) == len([c for c in counts if c])
    if len(hidden) >= 2:
        assert any(s == SUPPRESSED for s in shown)


def _tables(report: reports.Report) -> list[tuple[Count, tuple[Row, ...]]]:
    """Each table with the total its cells add up to."""
    return [
        (report.meetings, report.meetings_by_kind),
        (report.meetings, report.meetings_by_month),
        *((report.customers_met, rows) for rows in report.breakdowns.values()),
    ]


@pytest.mark.parametrize("seed", range(4))
def test_no_table_of_a_generated_register_hides_exactly_one_cell_beside_its_total(
    session: Session, controller: StaffMember, seed: int
) -> None:
    chance = random.Random(seed)
    for _ in range(chance.randint(5, 40)):
        person = add_person(session, municipality=chance.choice(["Espoo", "Vantaa", "Kerava"]))
        person.gender = chance.choice(list(Gender))
        for _ in range(chance.randint(1, 3)):
            day = datetime(2026, chance.randint(1, 6), chance.randint(1, 28), 9, tzinfo=UTC)
            add_meeting(session, person, controller, day)
    session.flush()

    report = reports.build_report(session=session, actor=controller, period=SPRING)

    for total, rows in _tables(report):
        hidden = [row for row in rows if not isinstance(row.count, int)]
        if isinstance(total, int):
            assert len(hidden) != 1, rows
            shown = sum(row.count for row in rows if isinstance(row.count, int))
            assert total - shown == 0 or len(hidden) >= 2
        else:
            assert all(row.count == 0 for row in rows if isinstance(row.count, int))
