import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from storage import audit, staff
from storage.consents import consent_state
from storage.db import Database
from storage.errors import InvalidRequest, NotFound, PermissionDenied, RefusedRead
from storage.models import AuditEvent, DataSubjectRequest, Disclosure, Person
from storage.models.enums import (
    AnswerDelivery,
    AuditOutcome,
    ConsentPurpose,
    LegalBasis,
    ObjectionScope,
    Purpose,
    RecipientKind,
    RequestChannel,
    RequestKind,
    RequestStatus,
    Role,
)
from storage.requests import (
    AlertRef,
    RecipientView,
    RequestFiling,
    RequestView,
    Transition,
    active_controllers,
    alerts_for,
    coming_due,
    extend,
    file_request,
    file_request_once,
    filing_warnings,
    fulfil,
    get_request,
    recipients_to_notify,
    record_alert,
    record_answer,
    reject,
    start,
    uphold_marketing_objection,
    verify_identity,
)
from storage.staff import StaffMember
from tests.people import add_person, add_staff

TODAY = date(2025, 11, 25)


def filing(**changes: object) -> RequestFiling:
    values: dict[str, object] = dict(
        kind=RequestKind.ACCESS, channel=RequestChannel.EMAIL, received_on=TODAY
    )
    values.update(changes)
    return RequestFiling(**values)  # type: ignore[arg-type]


def actions(session: Session, prefix: str = "request.") -> list[tuple[str, str, int | None]]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.action.startswith(prefix)).order_by(AuditEvent.id)
    )
    return [(row.action, row.actor, row.person_id) for row in rows]


class Office:
    """An advisor, a controller, and a request the advisor filed about a person."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.advisor = add_staff(session, "UADV1")
        self.controller = add_staff(session, "UCTL1", Role.CONTROLLER)
        self.person = add_person(session, "Maija", "Mallikas")
        self.request = file_request(
            session=session,
            actor=self.advisor,
            filing=filing(person_id=self.person.id, details="Kaikki tietoni, kiitos."),
            today=TODAY,
        )


@pytest.fixture
def office(session: Session) -> Office:
    return Office(session)


# Filing


def test_a_request_about_a_person_is_filed_with_its_due_date(office: Office) -> None:
    filed = office.request

    assert filed.kind is RequestKind.ACCESS and filed.status is RequestStatus.RECEIVED
    assert filed.person_id == office.person.id
    assert filed.person_reference == office.person.reference
    assert filed.received_on == TODAY and filed.due_on == date(2025, 12, 29)
    assert filed.extended_due_on is None and filed.effective_due_on == date(2025, 12, 29)
    assert filed.filed_by == "UADV1" and filed.handled_by is None
    assert filed.details == "Kaikki tietoni, kiitos." and filed.language == "fi"
    assert filed.is_open
    assert actions(office.session) == [("request.file", "UADV1", office.person.id)]
    event = office.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.purpose == Purpose.DATA_SUBJECT_REQUEST.value


def test_a_form_sent_twice_files_one_request(office: Office) -> None:
    sent = filing(person_id=office.person.id, filing_key="k" * 24)
    first = file_request_once(
        session=office.session, actor=office.advisor, filing=sent, today=TODAY
    )
    again = file_request_once(
        session=office.session, actor=office.advisor, filing=sent, today=TODAY
    )
    other = file_request_once(
        session=office.session,
        actor=office.advisor,
        filing=filing(person_id=office.person.id, filing_key="o" * 24),
        today=TODAY,
    )

    assert first.changed and not again.changed and other.changed
    assert again.request.id == first.request.id != other.request.id
    assert [action for action, _, _ in actions(office.session)].count("request.file") == 3


def test_a_requester_not_in_the_register_is_filed_by_name(session: Session) -> None:
    advisor = add_staff(session, "UADV1")

    filed = file_request(
        session=session,
        actor=advisor,
        filing=filing(
            kind=RequestKind.ERASURE,
            channel=RequestChannel.LETTER,
            requester_name="  Testi Virtanen ",
            requester_contact="testi.virtanen@example.fi",
            language="en",
        ),
        today=TODAY,
    )

    assert filed.person_id is None and filed.person_reference is None
    assert filed.requester_name == "Testi Virtanen"
    assert filed.requester_contact == "testi.virtanen@example.fi"
    assert filed.channel is RequestChannel.LETTER and filed.language == "en"
    assert actions(session) == [("request.file", "UADV1", None)]


@pytest.mark.parametrize("requester_name", [None, "", "   "])
def test_a_request_needs_a_person_or_a_requester_name(
    session: Session, requester_name: str | None
) -> None:
    advisor = add_staff(session, "UADV1")

    with pytest.raises(InvalidRequest):
        file_request(
            session=session,
            actor=advisor,
            filing=filing(requester_name=requester_name),
            today=TODAY,
        )


def test_a_request_received_today_is_filed_but_not_one_received_tomorrow(
    session: Session,
) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session)

    assert (
        file_request(
            session=session, actor=advisor, filing=filing(person_id=person.id), today=TODAY
        ).received_on
        == TODAY
    )
    with pytest.raises(InvalidRequest):
        file_request(
            session=session,
            actor=advisor,
            filing=filing(person_id=person.id, received_on=date(2025, 11, 26)),
            today=TODAY,
        )


def test_a_request_received_earlier_is_due_from_its_receipt(session: Session) -> None:
    advisor = add_staff(session, "UADV1")

    filed = file_request(
        session=session,
        actor=advisor,
        filing=filing(requester_name="Testi Virtanen", received_on=date(2025, 3, 5)),
        today=TODAY,
    )

    assert filed.due_on == date(2025, 4, 7)


def test_a_language_other_than_finnish_or_english_is_refused(session: Session) -> None:
    advisor = add_staff(session, "UADV1")

    with pytest.raises(InvalidRequest):
        file_request(
            session=session,
            actor=advisor,
            filing=filing(requester_name="Testi Virtanen", language="sv"),
            today=TODAY,
        )


def test_a_person_who_does_not_exist_is_not_found(session: Session) -> None:
    advisor = add_staff(session, "UADV1")

    with pytest.raises(NotFound):
        file_request(session=session, actor=advisor, filing=filing(person_id=999_999), today=TODAY)


def test_an_advisor_cannot_file_about_a_restricted_person_but_a_controller_can(
    session: Session,
) -> None:
    advisor = add_staff(session, "UADV1")
    controller = add_staff(session, "UCTL1", Role.CONTROLLER)
    person = add_person(session, restricted=True)

    with pytest.raises(RefusedRead):
        file_request(
            session=session, actor=advisor, filing=filing(person_id=person.id), today=TODAY
        )
    denied = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert denied is not None and denied.outcome is AuditOutcome.DENIED

    filed = file_request(
        session=session, actor=controller, filing=filing(person_id=person.id), today=TODAY
    )
    assert filed.person_reference == person.reference


def test_a_former_staff_member_cannot_file(session: Session) -> None:
    former = replace(add_staff(session, "UADV1"), active=False)

    with pytest.raises(PermissionDenied):
        file_request(
            session=session,
            actor=former,
            filing=filing(requester_name="Testi Virtanen"),
            today=TODAY,
        )


def test_the_reference_survives_the_person(office: Office) -> None:
    office.session.execute(delete(Person).where(Person.id == office.person.id))
    office.session.expire_all()

    kept = get_request(
        session=office.session, viewer=office.controller, request_id=office.request.id
    )

    assert kept.person_id is None and kept.person_reference == office.person.reference


# Reading


def test_a_controller_and_the_filer_may_read_a_request_but_no_other_advisor(
    office: Office,
) -> None:
    other = add_staff(office.session, "UADV2")
    request_id = office.request.id

    seen = get_request(session=office.session, viewer=office.controller, request_id=request_id)
    assert seen == office.request
    assert get_request(session=office.session, viewer=office.advisor, request_id=request_id)
    with pytest.raises(PermissionDenied):
        get_request(session=office.session, viewer=other, request_id=request_id)
    with pytest.raises(NotFound):
        get_request(session=office.session, viewer=office.controller, request_id=999_999)
    assert actions(office.session, "request.view") == [
        ("request.view", "UCTL1", office.person.id),
        ("request.view", "UADV1", office.person.id),
    ]


def test_a_former_filer_may_no_longer_read_their_request(office: Office) -> None:
    former = replace(office.advisor, active=False)

    with pytest.raises(PermissionDenied):
        get_request(session=office.session, viewer=former, request_id=office.request.id)


# Working a request, each step once


def test_start_makes_the_controller_the_handler(office: Office) -> None:
    moved = start(session=office.session, actor=office.controller, request_id=office.request.id)

    assert moved.changed
    assert moved.request.status is RequestStatus.IN_PROGRESS
    assert moved.request.handled_by == "UCTL1" and moved.request.is_open
    assert actions(office.session)[-1] == ("request.start", "UCTL1", office.person.id)


def test_a_second_click_changes_nothing_and_shows_where_the_request_stands(
    office: Office,
) -> None:
    second_controller = add_staff(office.session, "UCTL2", Role.CONTROLLER)
    start(session=office.session, actor=office.controller, request_id=office.request.id)

    again = start(session=office.session, actor=second_controller, request_id=office.request.id)

    assert not again.changed
    assert again.request.status is RequestStatus.IN_PROGRESS
    assert again.request.handled_by == "UCTL1"
    assert [a for a, _, _ in actions(office.session)] == ["request.file", "request.start"]


Step = Callable[[Session, StaffMember, int], Transition]

STEPS: dict[str, Step] = {
    "start": lambda s, a, r: start(session=s, actor=a, request_id=r),
    "verify": lambda s, a, r: verify_identity(
        session=s, actor=a, request_id=r, method="Henkilökortti nähty toimistolla"
    ),
    "extend": lambda s, a, r: extend(
        session=s, actor=a, request_id=r, reason="Laaja pyyntö", today=TODAY
    ),
    "reject": lambda s, a, r: reject(session=s, actor=a, request_id=r, reason="Perusteeton"),
    "fulfil": lambda s, a, r: fulfil(session=s, actor=a, request_id=r, resolution="Lähetetty"),
}


@pytest.mark.parametrize("step", STEPS)
def test_every_step_acts_once_and_is_audited_once(office: Office, step: str) -> None:
    take = STEPS[step]

    first = take(office.session, office.controller, office.request.id)
    second = take(office.session, office.controller, office.request.id)

    assert first.changed and not second.changed
    assert second.request == first.request
    assert actions(office.session)[1:] == [(f"request.{step}", "UCTL1", office.person.id)]
    assert audit.verify_chain(session=office.session).intact


@pytest.mark.parametrize("step", STEPS)
def test_an_advisor_cannot_take_a_step(office: Office, step: str) -> None:
    with pytest.raises(PermissionDenied):
        STEPS[step](office.session, office.advisor, office.request.id)

    unchanged = get_request(
        session=office.session, viewer=office.controller, request_id=office.request.id
    )
    assert unchanged == office.request


@pytest.mark.parametrize("step", STEPS)
def test_a_step_on_a_request_that_does_not_exist_is_not_found(office: Office, step: str) -> None:
    with pytest.raises(NotFound):
        STEPS[step](office.session, office.controller, 999_999)


@pytest.mark.parametrize("closing", ["reject", "fulfil"])
@pytest.mark.parametrize("step", STEPS)
def test_a_closed_request_takes_no_further_step(office: Office, closing: str, step: str) -> None:
    closed = STEPS[closing](office.session, office.controller, office.request.id).request

    after = STEPS[step](office.session, office.controller, office.request.id)

    assert not after.changed and after.request == closed
    assert not closed.is_open


def test_identity_verification_records_when_and_how_only(office: Office) -> None:
    verified = verify_identity(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        method=" Vahva sähköinen tunnistautuminen ",
    )

    assert verified.changed
    assert verified.request.identity_verification == "Vahva sähköinen tunnistautuminen"
    assert verified.request.identity_verified_at is not None
    assert verified.request.status is RequestStatus.RECEIVED

    again = verify_identity(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        method="Toinen tapa",
    )
    assert not again.changed
    assert again.request.identity_verification == "Vahva sähköinen tunnistautuminen"


@pytest.mark.parametrize(
    "take",
    [
        lambda o: verify_identity(
            session=o.session, actor=o.controller, request_id=o.request.id, method=" "
        ),
        lambda o: extend(
            session=o.session, actor=o.controller, request_id=o.request.id, reason="", today=TODAY
        ),
        lambda o: reject(session=o.session, actor=o.controller, request_id=o.request.id, reason=""),
        lambda o: fulfil(
            session=o.session, actor=o.controller, request_id=o.request.id, resolution="  "
        ),
    ],
    ids=["verify", "extend", "reject", "fulfil"],
)
def test_a_step_that_needs_words_refuses_none(
    office: Office, take: Callable[[Office], Transition]
) -> None:
    with pytest.raises(InvalidRequest):
        take(office)
    assert actions(office.session) == [("request.file", "UADV1", office.person.id)]


def test_an_extension_gives_three_months_from_receipt(office: Office) -> None:
    extended = extend(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        reason="Useita pyyntöjä samaan aikaan",
        today=TODAY,
    )

    assert extended.changed
    assert extended.request.due_on == date(2025, 12, 29)
    assert extended.request.extended_due_on == date(2026, 2, 25)
    assert extended.request.effective_due_on == date(2026, 2, 25)
    assert extended.request.extension_reason == "Useita pyyntöjä samaan aikaan"


def test_an_extension_ends_two_months_after_a_first_due_date_on_februarys_last_day(
    session: Session,
) -> None:
    advisor = add_staff(session, "UADV1")
    controller = add_staff(session, "UCTL1", Role.CONTROLLER)
    person = add_person(session, "Testi", "Tammikuu")
    filed = file_request(
        session=session,
        actor=advisor,
        filing=filing(person_id=person.id, received_on=date(2025, 1, 31)),
        today=date(2025, 2, 3),
    )

    extended = extend(
        session=session,
        actor=controller,
        request_id=filed.id,
        reason="Laaja pyyntö",
        today=date(2025, 2, 10),
    )

    assert extended.request.due_on == date(2025, 2, 28)
    assert extended.request.extended_due_on == date(2025, 4, 28)  # not 30 April


def test_an_extension_is_allowed_on_the_due_date_but_not_after_it(office: Office) -> None:
    with pytest.raises(InvalidRequest):
        extend(
            session=office.session,
            actor=office.controller,
            request_id=office.request.id,
            reason="Myöhässä",
            today=date(2025, 12, 30),
        )
    assert (
        get_request(
            session=office.session, viewer=office.controller, request_id=office.request.id
        ).extended_due_on
        is None
    )

    on_the_day = extend(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        reason="Laaja pyyntö",
        today=date(2025, 12, 29),
    )
    assert on_the_day.changed


def test_a_second_extension_changes_nothing_even_after_the_first_due_date(office: Office) -> None:
    extend(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        reason="Laaja pyyntö",
        today=TODAY,
    )

    again = extend(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        reason="Vielä lisää aikaa",
        today=date(2026, 1, 15),
    )

    assert not again.changed
    assert again.request.extension_reason == "Laaja pyyntö"


def test_rejection_closes_the_request_with_its_reason(office: Office) -> None:
    rejected = reject(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        reason="Henkilöllisyyttä ei voitu varmistaa",
    )

    assert rejected.changed and not rejected.request.is_open
    assert rejected.request.status is RequestStatus.REJECTED
    assert rejected.request.resolution == "Henkilöllisyyttä ei voitu varmistaa"
    assert rejected.request.completed_at is not None
    assert rejected.request.handled_by == "UCTL1"


def test_fulfilment_keeps_the_request_due_until_the_answer_is_delivered(office: Office) -> None:
    start(session=office.session, actor=office.controller, request_id=office.request.id)

    fulfilled = fulfil(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        resolution="Tiedot koottu",
    )

    assert fulfilled.changed and fulfilled.request.awaits_answer
    assert not fulfilled.request.is_open and not fulfilled.request.is_closed
    assert fulfilled.request.fulfilled_at is not None
    assert fulfilled.request.completed_at is None
    due = coming_due(session=office.session, today=date(2025, 12, 29))
    assert [request.id for request in due] == [office.request.id]


def test_the_answer_delivered_completes_the_request(office: Office) -> None:
    fulfil(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        resolution="Tiedot koottu",
    )

    answered = record_answer(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        delivery=AnswerDelivery.POST,
        answered_on=date(2025, 11, 27),
        today=date(2025, 11, 28),
    )
    again = record_answer(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        delivery=AnswerDelivery.EMAIL,
        answered_on=date(2025, 11, 28),
        today=date(2025, 11, 28),
    )

    assert answered.changed and answered.request.is_closed
    assert answered.request.status is RequestStatus.COMPLETED
    assert (answered.request.answer_delivery, answered.request.answered_on) == (
        AnswerDelivery.POST,
        date(2025, 11, 27),
    )
    assert answered.request.completed_at is not None
    assert not again.changed and again.request == answered.request
    assert coming_due(session=office.session, today=date(2025, 12, 29)) == []
    assert [a for a, _, _ in actions(office.session)] == [
        "request.file",
        "request.fulfil",
        "request.complete",
    ]


@pytest.mark.parametrize("answered_on", [date(2025, 11, 24), date(2025, 11, 29)])
def test_the_answer_cannot_arrive_before_the_request_nor_after_today(
    office: Office, answered_on: date
) -> None:
    fulfil(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        resolution="Tiedot koottu",
    )

    with pytest.raises(InvalidRequest):
        record_answer(
            session=office.session,
            actor=office.controller,
            request_id=office.request.id,
            delivery=AnswerDelivery.EMAIL,
            answered_on=answered_on,
            today=date(2025, 11, 28),
        )


def test_an_answer_is_recorded_only_after_fulfilment(office: Office) -> None:
    not_yet = record_answer(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        delivery=AnswerDelivery.IN_PERSON,
        answered_on=TODAY,
        today=TODAY,
    )

    assert not not_yet.changed and not_yet.request.status is RequestStatus.RECEIVED


def test_an_objection_to_direct_marketing_takes_effect_at_once(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    controller = add_staff(session, "UCTL1", Role.CONTROLLER)
    person = add_person(session, "Olli", "Oikeudenhaltija")
    objection = file_request(
        session=session,
        actor=advisor,
        filing=filing(kind=RequestKind.OBJECTION, person_id=person.id),
        today=TODAY,
    )

    upheld = uphold_marketing_objection(
        session=session,
        actor=controller,
        request_id=objection.id,
        resolution="Vastustus kirjattu",
        today=TODAY,
    )

    assert upheld.changed and upheld.request.awaits_answer
    assert upheld.request.objection_scope is ObjectionScope.DIRECT_MARKETING
    state = consent_state(session=session, person_id=person.id, purpose=ConsentPurpose.MARKETING)
    assert state.withdrawn_on == TODAY and not state.in_force


def test_only_an_objection_is_upheld_as_one(office: Office) -> None:
    with pytest.raises(InvalidRequest):
        uphold_marketing_objection(
            session=office.session,
            actor=office.controller,
            request_id=office.request.id,
            resolution="Vastustus kirjattu",
            today=TODAY,
        )


# Before filing: what the advisor is shown


def test_a_received_date_whose_deadline_has_passed_is_pointed_out(office: Office) -> None:
    late = filing(received_on=date(2025, 10, 20), kind=RequestKind.ERASURE)

    warnings = filing_warnings(
        session=office.session, actor=office.advisor, filing=late, today=TODAY
    )

    assert warnings and warnings.passed_due_on == date(2025, 11, 20)
    assert warnings.open_requests == ()
    in_time = filing(received_on=date(2025, 10, 25), kind=RequestKind.ERASURE)
    assert not filing_warnings(
        session=office.session, actor=office.advisor, filing=in_time, today=TODAY
    )


def test_a_second_open_request_of_the_same_kind_is_pointed_out(office: Office) -> None:
    same = filing(person_id=office.person.id)
    other_kind = filing(person_id=office.person.id, kind=RequestKind.PORTABILITY)

    warnings = filing_warnings(
        session=office.session, actor=office.advisor, filing=same, today=TODAY
    )

    assert warnings.open_requests == (office.request.id,) and warnings.passed_due_on is None
    assert not filing_warnings(
        session=office.session, actor=office.advisor, filing=other_kind, today=TODAY
    )
    fulfil(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        resolution="Tiedot koottu",
    )
    assert filing_warnings(
        session=office.session, actor=office.advisor, filing=same, today=TODAY
    ).open_requests == (office.request.id,)
    record_answer(
        session=office.session,
        actor=office.controller,
        request_id=office.request.id,
        delivery=AnswerDelivery.EMAIL,
        answered_on=TODAY,
        today=TODAY,
    )
    assert not filing_warnings(
        session=office.session, actor=office.advisor, filing=same, today=TODAY
    )


# Who is alerted, and where their messages are


def test_the_active_controllers_are_alerted(session: Session) -> None:
    controller = add_staff(session, "UCTL1", Role.CONTROLLER)
    add_staff(session, "UADV1")
    add_staff(session, "UADM1", Role.ADMIN)
    second = add_staff(session, "UCTL2", Role.CONTROLLER)
    former = add_staff(session, "UCTL3", Role.CONTROLLER)
    staff.revoke(session=session, actor=controller, slack_user_id=former.slack_user_id)

    assert active_controllers(session=session) == [controller, second]


def test_alerts_are_remembered_per_staff_member_and_a_new_one_replaces_the_old(
    office: Office,
) -> None:
    request_id = office.request.id
    messages = [("UCTL1", "D1", "1.1"), ("UCTL2", "D2", "2.1"), ("UCTL1", "D1", "1.2")]
    for user, channel, ts in messages:
        record_alert(
            session=office.session,
            request_id=request_id,
            slack_user_id=user,
            channel_id=channel,
            message_ts=ts,
        )

    assert alerts_for(session=office.session, request_id=request_id) == [
        AlertRef("UCTL1", "D1", "1.2"),
        AlertRef("UCTL2", "D2", "2.1"),
    ]
    assert alerts_for(session=office.session, request_id=999_999) == []


# Art 19


def test_each_recipient_to_notify_is_listed_once_with_every_category(office: Office) -> None:
    other = add_person(office.session, "Testi", "Virtanen")
    for person, recipient, kind, categories, day in [
        (office.person, "Kyselytyökalu Oy", RecipientKind.SURVEY_TOOL, ["name", "email"], 1),
        (office.person, "Esimerkkipankki", RecipientKind.FINANCIER, ["name"], 2),
        (office.person, "Kyselytyökalu Oy", RecipientKind.SURVEY_TOOL, ["email", "phone"], 3),
        (other, "Esimerkkivirasto", RecipientKind.AUTHORITY, ["name"], 4),
    ]:
        office.session.add(
            Disclosure(
                person_id=person.id,
                recipient=recipient,
                recipient_kind=kind,
                categories=categories,
                disclosed_at=datetime(2025, 10, day, tzinfo=UTC),
                legal_basis=LegalBasis.CONSENT,
            )
        )
    office.session.flush()

    assert recipients_to_notify(session=office.session, person_id=office.person.id) == [
        RecipientView(
            "Kyselytyökalu Oy",
            RecipientKind.SURVEY_TOOL,
            ("name", "email", "phone"),
            datetime(2025, 10, 3, tzinfo=UTC),
        ),
        RecipientView(
            "Esimerkkipankki",
            RecipientKind.FINANCIER,
            ("name",),
            datetime(2025, 10, 2, tzinfo=UTC),
        ),
    ]


def test_a_person_never_disclosed_has_no_recipients_to_notify(office: Office) -> None:
    assert recipients_to_notify(session=office.session, person_id=office.person.id) == []


# Two controllers at once, each in a transaction of their own


def _start_in_own_transaction(
    database: Database, slack_user_id: str, request_id: int, results: list[Transition]
) -> None:
    with database.transaction() as session:
        actor = staff.find(session=session, slack_user_id=slack_user_id)
        assert actor is not None
        results.append(start(session=session, actor=actor, request_id=request_id))


def _wait_until_blocked_on_a_lock(database: Database, waiter: threading.Thread) -> None:
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with database.engine.connect() as connection:
        while waiter.is_alive() and not connection.execute(query).scalar():
            connection.rollback()
            threading.Event().wait(0.01)


def test_two_controllers_starting_at_once_start_it_once(database: Database) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, "UADV1")
        add_staff(session, "UCTL1", Role.CONTROLLER)
        add_staff(session, "UCTL2", Role.CONTROLLER)
        request_id = file_request(
            session=session,
            actor=advisor,
            filing=filing(requester_name="Testi Virtanen"),
            today=TODAY,
        ).id

    results: list[Transition] = []
    with database.sessions.begin() as first:
        actor = staff.find(session=first, slack_user_id="UCTL1")
        assert actor is not None
        winner = start(session=first, actor=actor, request_id=request_id)
        second = threading.Thread(
            target=_start_in_own_transaction, args=(database, "UCTL2", request_id, results)
        )
        second.start()
        if database.backend == "postgresql":
            _wait_until_blocked_on_a_lock(database, second)
    second.join()

    (loser,) = results
    assert winner.changed and not loser.changed
    assert loser.request.handled_by == "UCTL1"
    assert loser.request.status is RequestStatus.IN_PROGRESS
    with database.transaction() as session:
        assert [a for a, _, _ in actions(session)] == ["request.file", "request.start"]
        assert audit.verify_chain(session=session).intact


def test_the_views_carry_no_database_objects(office: Office) -> None:
    assert isinstance(office.request, RequestView)
    assert {type(value).__module__ for value in vars(office.request).values()} <= {
        "builtins",
        "datetime",
        "storage.models.enums",
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"requester_name": "V" * 201},
        {"requester_name": "Testi Virtanen", "requester_contact": "a" * 244 + "@example.fi"},
    ],
    ids=["name", "contact"],
)
def test_text_longer_than_the_register_holds_is_refused(
    session: Session, changes: dict[str, str]
) -> None:
    advisor = add_staff(session, "UADV1")

    with pytest.raises(InvalidRequest):
        file_request(session=session, actor=advisor, filing=filing(**changes), today=TODAY)


def test_a_verification_method_longer_than_the_register_holds_is_refused(office: Office) -> None:
    with pytest.raises(InvalidRequest):
        verify_identity(
            session=office.session,
            actor=office.controller,
            request_id=office.request.id,
            method="x" * 201,
        )


# Coming due


def test_coming_due_lists_open_requests_due_within_seven_days_and_the_overdue(
    session: Session,
) -> None:
    controller = add_staff(session, "UCTL1", Role.CONTROLLER)
    person = add_person(session, "Maija", "Mallikas")
    today = date(2026, 11, 27)

    def request_due(due_on: date, **changes: object) -> int:
        filed = file_request(
            session=session,
            actor=controller,
            filing=filing(person_id=person.id, received_on=date(2026, 10, 1)),
            today=today,
        )
        row = session.get(DataSubjectRequest, filed.id)
        assert row is not None
        row.due_on = due_on
        for name, value in changes.items():
            setattr(row, name, value)
        session.flush()
        return filed.id

    overdue = request_due(date(2026, 11, 20))
    due_today = request_due(today)
    due_in_seven = request_due(date(2026, 12, 4))
    request_due(date(2026, 12, 5))
    request_due(date(2026, 11, 20), extended_due_on=date(2027, 1, 2))
    extended_soon = request_due(date(2026, 10, 30), extended_due_on=date(2026, 11, 30))
    request_due(date(2026, 11, 20), status=RequestStatus.COMPLETED)
    request_due(date(2026, 11, 20), status=RequestStatus.REJECTED)

    due = coming_due(session=session, today=today)

    assert [r.id for r in due] == [overdue, due_today, extended_soon, due_in_seven]
    assert [r.effective_due_on for r in due] == [
        date(2026, 11, 20),
        today,
        date(2026, 11, 30),
        date(2026, 12, 4),
    ]
