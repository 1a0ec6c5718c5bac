from datetime import UTC, date, datetime

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import retention
from storage.errors import InvalidRequest, PermissionDenied
from storage.models import AuditEvent, Erasure, Person
from storage.models.enums import AuditOutcome, RelationshipKind, Role
from storage.retention import Decision, RetentionCandidate, RetentionPolicy
from tests.people import add_person, add_staff

TODAY = date(2026, 11, 27)
CUSTOMER = RelationshipKind.CUSTOMER
MEMBER = RelationshipKind.MEMBER
STAKEHOLDER = RelationshipKind.STAKEHOLDER


def active_on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def audit_rows(session: Session, person_id: int) -> list[tuple[str, str | None]]:
    query = (
        select(AuditEvent.action, AuditEvent.purpose)
        .where(AuditEvent.person_id == person_id)
        .order_by(AuditEvent.id)
    )
    return [(action, purpose) for action, purpose in session.execute(query)]


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


def test_recent_activity_keeps_no_one_whose_only_relationships_are_ended_memberships(
    session: Session,
) -> None:
    add_person(
        session,
        last_name="Eronnut",
        last_activity_at=active_on(date(2026, 11, 1)),
        relationships=((MEMBER, date(2024, 1, 1)),),
    )

    assert due_names(session) == {"Eronnut"}
    assert retention.count_due(session=session, today=TODAY) == 1


@pytest.mark.parametrize(
    "policy",
    [
        retention.DEFAULT_POLICY,
        RetentionPolicy(customer_months=12, member_months=6, stakeholder_months=30),
    ],
)
def test_who_is_due_follows_the_rules_for_every_mix_of_relationships(
    session: Session, policy: RetentionPolicy
) -> None:
    activity_days = [date(2026, 10, 1), date(2025, 5, 1), date(2024, 5, 1), date(2023, 5, 1)]
    mixes: list[tuple[tuple[RelationshipKind, date | None], ...]] = [
        (),
        ((CUSTOMER, None),),
        ((STAKEHOLDER, None),),
        ((MEMBER, None),),
        ((MEMBER, date(2026, 8, 1)),),
        ((MEMBER, date(2025, 3, 1)),),
        ((CUSTOMER, None), (MEMBER, date(2025, 3, 1))),
        ((STAKEHOLDER, None), (MEMBER, date(2022, 1, 1))),
        ((MEMBER, date(2025, 3, 1)), (MEMBER, date(2026, 8, 1))),
    ]
    expected = set()
    in_review_order = []
    for day_number, day in enumerate(activity_days):
        for mix_number, mix in enumerate(mixes):
            name = f"Testi{day_number}x{mix_number}"
            person = add_person(
                session, last_name=name, last_activity_at=active_on(day), relationships=mix
            )
            if not _kept(policy, day, mix):
                expected.add(name)
                in_review_order.append((day, person.id))
    in_review_order.sort()
    first_ids = [person_id for _, person_id in in_review_order]

    assert expected and due_names(session, policy) == expected
    assert retention.count_due(session=session, today=TODAY, policy=policy) == len(expected)
    reviewed = retention.due_for_review(session=session, today=TODAY, policy=policy)
    assert [candidate.person_id for candidate in reviewed] == first_ids
    first = retention.due_for_review(session=session, today=TODAY, policy=policy, limit=3)
    assert [candidate.person_id for candidate in first] == first_ids[:3]
    summary = retention.due_summary(session=session, today=TODAY, policy=policy, limit=3)
    assert summary == retention.DueSummary(count=len(expected), first=first)


def _kept(
    policy: RetentionPolicy,
    last_active: date,
    mix: tuple[tuple[RelationshipKind, date | None], ...],
) -> bool:
    """The module's rules, told once more in plain Python."""

    def since(months: int) -> date:
        return TODAY - relativedelta(months=months)

    if not mix:
        return last_active >= since(policy.customer_months)
    return any(
        (kind is CUSTOMER and last_active >= since(policy.customer_months))
        or (kind is STAKEHOLDER and last_active >= since(policy.stakeholder_months))
        or (kind is MEMBER and (ended is None or ended > since(policy.member_months)))
        for kind, ended in mix
    )


def test_nothing_due_sums_up_as_nothing(session: Session) -> None:
    add_person(session, last_activity_at=active_on(date(2026, 11, 1)))

    assert retention.due_summary(session=session, today=TODAY, limit=20) == (
        retention.DueSummary(count=0, first=[])
    )


def test_the_policy_can_be_shorter(session: Session) -> None:
    add_person(session, last_name="Vuosi", last_activity_at=active_on(date(2025, 10, 1)))

    assert due_names(session) == set()
    assert due_names(session, RetentionPolicy(customer_months=12)) == {"Vuosi"}


def test_a_policy_period_is_at_least_a_month() -> None:
    with pytest.raises(ValueError):
        RetentionPolicy(member_months=0)


def test_due_records_say_which_relationship_made_them_due_and_from_when(
    session: Session,
) -> None:
    customer = add_person(
        session, last_name="Asiakas", last_activity_at=active_on(date(2020, 5, 4))
    )
    member = add_person(
        session,
        last_name="Jasen",
        last_activity_at=active_on(date(2019, 1, 1)),
        relationships=((MEMBER, date(2024, 6, 30)), (STAKEHOLDER, None)),
    )
    nobody = add_person(
        session, last_name="Ei", last_activity_at=active_on(date(2021, 2, 3)), relationships=()
    )
    add_person(session, last_name="Tuore", last_activity_at=active_on(date(2026, 1, 1)))

    due = retention.due_for_review(session=session, today=TODAY)

    assert due == [
        RetentionCandidate(member.id, member.reference, MEMBER, date(2024, 6, 30)),
        RetentionCandidate(customer.id, customer.reference, CUSTOMER, date(2020, 5, 4)),
        RetentionCandidate(nobody.id, nobody.reference, None, date(2021, 2, 3)),
    ]
    assert [
        c.person_id for c in retention.due_for_review(session=session, today=TODAY, limit=2)
    ] == [
        member.id,
        customer.id,
    ]


def test_the_review_is_a_controllers_and_audits_each_record_shown(session: Session) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    advisor = add_staff(session, "UADV1")
    person = add_person(session, last_activity_at=active_on(date(2020, 1, 1)))

    with pytest.raises(PermissionDenied):
        retention.review(session=session, actor=advisor, today=TODAY)
    shown = retention.review(session=session, actor=controller, today=TODAY)

    assert [c.person_id for c in shown] == [person.id]
    assert audit_rows(session, person.id) == [("person.retention_review", "retention_review")]


def test_a_hold_keeps_the_record_until_it_ends_and_is_audited(session: Session) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    person = add_person(session, last_activity_at=active_on(date(2020, 1, 1)))

    retention.hold(
        session=session,
        actor=controller,
        person_id=person.id,
        until=date(2027, 6, 1),
        reason=" Kirjanpitolaki ",
        today=TODAY,
    )

    assert (person.retention_hold_until, person.retention_hold_reason) == (
        date(2027, 6, 1),
        "Kirjanpitolaki",
    )
    assert retention.count_due(session=session, today=TODAY) == 0
    assert retention.count_due(session=session, today=date(2027, 6, 1)) == 1
    assert audit_rows(session, person.id) == [("person.retention_hold", "retention_review")]


@pytest.mark.parametrize(
    ("until", "reason"), [(TODAY, "Syy"), (date(2026, 1, 1), "Syy"), (date(2027, 1, 1), "  ")]
)
def test_a_hold_needs_a_future_date_and_a_reason(
    session: Session, until: date, reason: str
) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    person = add_person(session, last_activity_at=active_on(date(2020, 1, 1)))

    with pytest.raises(InvalidRequest):
        retention.hold(
            session=session,
            actor=controller,
            person_id=person.id,
            until=until,
            reason=reason,
            today=TODAY,
        )
    assert person.retention_hold_until is None


def test_only_a_controller_may_hold(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session, last_activity_at=active_on(date(2020, 1, 1)))

    with pytest.raises(PermissionDenied):
        retention.hold(
            session=session,
            actor=advisor,
            person_id=person.id,
            until=date(2027, 1, 1),
            reason="Syy",
            today=TODAY,
        )


def test_decisions_erase_as_a_request_does_and_hold_what_is_still_due(session: Session) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    old = active_on(date(2020, 1, 1))
    erased = add_person(session, last_name="Poistettava", last_activity_at=old)
    held = add_person(session, last_name="Pidettava", last_activity_at=old)
    active_again = add_person(session, last_name="Palannut", last_activity_at=old)
    active_again.last_activity_at = active_on(date(2026, 11, 1))
    session.flush()
    erased_id, erased_reference = erased.id, erased.reference

    applied = retention.apply_decisions(
        session=session,
        actor=controller,
        today=TODAY,
        decisions=[
            Decision(erased_id, erase=True),
            Decision(held.id, erase=False, hold_until=date(2027, 1, 1), hold_reason="Riita"),
            Decision(active_again.id, erase=True),
        ],
        policy=RetentionPolicy(),
    )

    assert [done.person_reference for done in applied.erased] == [erased_reference]
    assert (applied.held, applied.refused) == (1, [active_again.reference])
    assert session.get(Person, erased_id) is None
    assert session.get(Person, active_again.id) is not None
    erasure = session.scalars(select(Erasure).where(Erasure.person_id == erased_id)).one()
    assert erasure.request_id is None and erasure.erased_by == "UCTRL1"
    assert ("person.erase", "retention_review") in audit_rows(session, erased_id)
    assert held.retention_hold_reason == "Riita"


def test_an_advisor_cannot_decide(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session, last_activity_at=active_on(date(2020, 1, 1)))

    with pytest.raises(PermissionDenied):
        retention.apply_decisions(
            session=session,
            actor=advisor,
            today=TODAY,
            decisions=[Decision(person.id, True)],
            policy=RetentionPolicy(),
        )
    assert session.get(Person, person.id) is not None


def test_a_decision_on_a_record_not_due_is_refused_and_audited(session: Session) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    recent = add_person(session, last_name="Tuore", last_activity_at=active_on(date(2026, 8, 1)))
    due = add_person(session, last_name="Vanha", last_activity_at=active_on(date(2020, 1, 1)))
    gone_id = due.id + 1000

    applied = retention.apply_decisions(
        session=session,
        actor=controller,
        today=TODAY,
        decisions=[
            Decision(recent.id, erase=True),
            Decision(gone_id, erase=False, hold_until=date(2027, 1, 1), hold_reason="Riita"),
        ],
        policy=RetentionPolicy(),
    )

    assert applied.erased == [] and applied.held == 0
    assert applied.refused == [recent.reference]
    assert applied.refused_unknown == 1
    assert session.get(Person, recent.id) is not None
    denied = session.execute(
        select(AuditEvent.person_id, AuditEvent.action, AuditEvent.outcome)
        .where(AuditEvent.outcome == AuditOutcome.DENIED)
        .order_by(AuditEvent.id)
    ).all()
    assert denied == [
        (recent.id, "person.retention_refused", AuditOutcome.DENIED),
        (gone_id, "person.retention_refused", AuditOutcome.DENIED),
    ]
