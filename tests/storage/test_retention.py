from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import retention
from storage.models import Person
from storage.models.enums import RelationshipKind
from storage.retention import RetentionPolicy
from tests.people import add_person

TODAY = date(2026, 11, 27)
CUSTOMER = RelationshipKind.CUSTOMER
MEMBER = RelationshipKind.MEMBER
STAKEHOLDER = RelationshipKind.STAKEHOLDER


def active_on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def due_names(session: Session, policy: RetentionPolicy = retention.DEFAULT_POLICY) -> set[str]:
    query = select(Person.last_name).where(retention.is_due(TODAY, policy))
    return set(session.scalars(query))


def test_customers_are_due_36_months_after_their_last_activity(session: Session) -> None:
    add_person(session, last_name="Vanha", last_activity_at=active_on(date(2023, 11, 26)))
    add_person(session, last_name="Tuore", last_activity_at=active_on(date(2023, 11, 27)))

    assert due_names(session) == {"Vanha"}
    assert retention.count_due(session=session, today=TODAY) == 1


def test_stakeholders_are_due_24_months_after_their_last_activity(session: Session) -> None:
    for name, day in (("Vanha", date(2024, 11, 26)), ("Tuore", date(2024, 11, 27))):
        add_person(
            session,
            last_name=name,
            last_activity_at=active_on(day),
            relationships=((STAKEHOLDER, None),),
        )

    assert due_names(session) == {"Vanha"}


def test_members_are_due_12_months_after_the_membership_ended(session: Session) -> None:
    long_ago = active_on(date(2015, 1, 1))
    for name, ended in (
        ("Eronnut", date(2025, 11, 27)),
        ("Juuri", date(2025, 11, 28)),
        ("Jasen", None),
    ):
        add_person(
            session, last_name=name, last_activity_at=long_ago, relationships=((MEMBER, ended),)
        )

    assert due_names(session) == {"Eronnut"}


def test_any_relationship_still_running_keeps_the_record(session: Session) -> None:
    add_person(
        session,
        last_name="Molemmat",
        last_activity_at=active_on(date(2020, 1, 1)),
        relationships=((CUSTOMER, None), (MEMBER, None)),
    )
    add_person(
        session,
        last_name="Kaikki",
        last_activity_at=active_on(date(2020, 1, 1)),
        relationships=((CUSTOMER, None), (MEMBER, date(2021, 1, 1))),
    )

    assert due_names(session) == {"Kaikki"}


def test_a_hold_into_the_future_keeps_the_record_and_restriction_does_not(
    session: Session,
) -> None:
    old = active_on(date(2020, 1, 1))
    add_person(
        session, last_name="Pito", last_activity_at=old, retention_hold_until=date(2027, 1, 1)
    )
    add_person(session, last_name="Paattynyt", last_activity_at=old, retention_hold_until=TODAY)
    add_person(session, last_name="Rajoitettu", last_activity_at=old, restricted=True)

    assert due_names(session) == {"Paattynyt", "Rajoitettu"}


def test_without_relationships_a_person_is_kept_as_a_customer(session: Session) -> None:
    add_person(
        session, last_name="Vanha", last_activity_at=active_on(date(2020, 1, 1)), relationships=()
    )
    add_person(
        session, last_name="Tuore", last_activity_at=active_on(date(2026, 1, 1)), relationships=()
    )

    assert due_names(session) == {"Vanha"}


def test_the_policy_can_be_shorter(session: Session) -> None:
    add_person(session, last_name="Vuosi", last_activity_at=active_on(date(2025, 10, 1)))

    assert due_names(session) == set()
    assert due_names(session, RetentionPolicy(customer_months=12)) == {"Vuosi"}
