from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, event, func, select, text
from sqlalchemy.orm import Session

from storage import erasure, search
from storage.errors import NotFound, PermissionDenied
from storage.models import (
    AuditEvent,
    Consent,
    DataSubjectRequest,
    Disclosure,
    Erasure,
    Meeting,
    Person,
    PhoneNumber,
    Relationship,
)
from storage.models.enums import Purpose, RecipientKind, RequestChannel, RequestKind, Role
from storage.staff import StaffMember
from tests.people import add_meeting, add_person, add_staff
from tests.personal_data import fill_every_table


@pytest.fixture
def advisor(session: Session) -> StaffMember:
    return add_staff(session, "UADVISOR", Role.ADVISOR)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def test_the_plan_lists_what_goes_what_stays_and_whom_to_tell(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    plan = erasure.erasure_plan(session=session, actor=controller, person_id=filled.person.id)
    assert {(t.table, t.rows) for t in plan.deleted} == {
        ("persons", 1),
        ("phone_numbers", 2),
        ("relationships", 1),
        ("consents", 1),
        ("meetings", 1),
        ("disclosures", 2),
        ("slack_file_persons", 1),
        ("slack_message_persons", 1),
        ("distinct_persons", 1),
    }
    kept = {k.table: k for k in plan.kept}
    assert kept["data_subject_requests"].ground == erasure.KeptGround.ACCOUNTABILITY
    assert kept["data_subject_requests"].pseudonymised
    assert kept["audit_events"].ground == erasure.KeptGround.AUDIT_TRAIL
    assert [(r.recipient, r.recipient_kind) for r in plan.recipients] == [
        ("Esimerkkirahoitus Oy", RecipientKind.FINANCIER),
        ("Kyselytyökalu", RecipientKind.SURVEY_TOOL),
    ]
    assert session.get(Person, filled.person.id) is not None


def test_erasing_deletes_everything_and_keeps_the_request_by_reference(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    filled = fill_every_table(session, advisor)
    person_id, reference = filled.person.id, filled.person.reference
    done = erasure.erase(
        session=session, actor=controller, person_id=person_id, request_id=filled.request_id
    )
    session.expire_all()
    assert session.get(Person, person_id) is None
    for model in (PhoneNumber, Relationship, Consent, Meeting, Disclosure):
        count = session.scalar(select(func.count()).where(model.person_id == person_id))
        assert count == 0, model.__tablename__
    request = session.get(DataSubjectRequest, filled.request_id)
    assert request is not None
    assert (request.person_id, request.person_reference) == (None, reference)
    record = session.get(Erasure, done.erasure_id)
    assert record is not None
    assert (record.person_id, record.person_reference, record.request_id) == (
        person_id,
        reference,
        filled.request_id,
    )
    assert record.erased_by == controller.slack_user_id
    assert {r.recipient for r in done.recipients} == {"Esimerkkirahoitus Oy", "Kyselytyökalu"}
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None
    assert (last.action, last.person_id, last.purpose) == (
        "person.erase",
        person_id,
        Purpose.DATA_SUBJECT_REQUEST,
    )


def found(session: Session, viewer: StaffMember, query: str) -> bool:
    result = search.search_persons(
        session=session, viewer=viewer, query=query, purpose=Purpose.CUSTOMER_SERVICE
    )
    return bool(result.hits)


def test_an_erased_name_is_gone_from_the_search_index(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    person = add_person(session, "Uniikki", "Poistettava")
    assert found(session, controller, "Poistettava")
    erasure.erase(session=session, actor=controller, person_id=person.id, request_id=None)
    assert not found(session, controller, "Poistettava")
    if session.get_bind().dialect.name == "sqlite":
        fragments = session.scalar(
            text("SELECT count(*) FROM persons_search WHERE persons_search MATCH 'Poistettava'")
        )
        assert fragments == 0


def test_replay_erases_a_restored_person_again_and_only_once(
    session: Session, advisor: StaffMember, controller: StaffMember
) -> None:
    person = add_person(session, "Palautettu", "Varmuuskopio")
    person_id, reference, key = person.id, person.reference, person.person_key
    erasure.erase(session=session, actor=controller, person_id=person_id, request_id=None)
    restored = Person(
        id=person_id, person_key=key, reference=reference, first_name="Palautettu", last_name="X"
    )
    restored.phone_numbers = [PhoneNumber(number="+358401234567")]
    session.add(restored)
    session.flush()
    assert erasure.replay_erasures(session=session).erased == [person_id]
    assert session.get(Person, person_id) is None
    assert erasure.replay_erasures(session=session) == erasure.Replayed(erased=[], refused=[])


def test_the_ledger_brings_back_erasures_a_restored_backup_never_saw(
    session: Session, controller: StaffMember
) -> None:
    person = add_person(session, "Palautettu", "Varmuuskopio")
    person_id, reference, key = person.id, person.reference, person.person_key
    erasure.erase(session=session, actor=controller, person_id=person_id, request_id=None)
    ledger = erasure.erasure_records(session=session)
    assert [(r.person_id, r.person_key, r.person_reference) for r in ledger] == [
        (person_id, key, reference)
    ]
    # The backup predates the erasure: the person is there and no record of it is.
    session.execute(delete(Erasure))
    session.add(
        Person(
            id=person_id,
            person_key=key,
            reference=reference,
            first_name="Palautettu",
            last_name="X",
        )
    )
    session.flush()
    assert erasure.replay_erasures(session=session).erased == []

    assert erasure.restore_erasure_records(session=session, records=ledger) == 1
    assert erasure.restore_erasure_records(session=session, records=ledger) == 0
    assert erasure.replay_erasures(session=session).erased == [person_id]
    assert session.get(Person, person_id) is None


def test_only_a_controller_erases(session: Session, advisor: StaffMember) -> None:
    person = add_person(session)
    with pytest.raises(PermissionDenied):
        erasure.erasure_plan(session=session, actor=advisor, person_id=person.id)
    with pytest.raises(PermissionDenied):
        erasure.erase(session=session, actor=advisor, person_id=person.id, request_id=None)


def test_nobody_to_erase(session: Session, controller: StaffMember) -> None:
    with pytest.raises(NotFound):
        erasure.erase(session=session, actor=controller, person_id=999_999, request_id=None)


def test_the_id_of_an_erased_person_is_never_given_again(
    session: Session, controller: StaffMember
) -> None:
    newest = add_person(session, "Poistuva", "Viimeinen")
    erased_id = newest.id
    erasure.erase(session=session, actor=controller, person_id=erased_id, request_id=None)

    assert add_person(session, "Uusi", "Tulija").id > erased_id


def test_replay_leaves_alone_a_person_who_has_the_erased_id_but_another_key(
    session: Session, controller: StaffMember
) -> None:
    person = add_person(session, "Poistuva", "Viimeinen")
    person_id = person.id
    erasure.erase(session=session, actor=controller, person_id=person_id, request_id=None)
    # Someone else under the same id, as a restored sequence would give it.
    session.add(Person(id=person_id, reference="R-OTHER", first_name="Uusi", last_name="Tulija"))
    session.flush()

    replayed = erasure.replay_erasures(session=session)

    assert session.get(Person, person_id) is not None
    assert replayed == erasure.Replayed(erased=[], refused=[person_id])


def test_an_erasure_from_before_the_keys_replays_only_on_a_person_created_before_it(
    session: Session, controller: StaffMember
) -> None:
    erased_at = datetime(2026, 6, 1, tzinfo=UTC)
    session.add_all(
        [
            Erasure(person_id=9001, person_reference="R-OLD01", erased_by="U", erased_at=erased_at),
            Erasure(person_id=9002, person_reference="R-OLD02", erased_by="U", erased_at=erased_at),
        ]
    )
    restored = Person(
        id=9001,
        reference="R-OLD01",
        first_name="P",
        last_name="V",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    later = Person(
        id=9002,
        reference="R-NEW02",
        first_name="U",
        last_name="T",
        created_at=datetime(2026, 7, 1, tzinfo=UTC),
    )
    session.add_all([restored, later])
    session.flush()

    replayed = erasure.replay_erasures(session=session)

    assert replayed == erasure.Replayed(erased=[9001], refused=[9002])
    assert session.get(Person, 9002) is not None


def replay_statements(session: Session, erased_elsewhere: int) -> tuple[list[str], list[int]]:
    """The statements one replay sends with two restored persons back and `erased_elsewhere`
    erasures of persons who are not; and whom it erased."""
    erased_at = datetime(2026, 6, 1, tzinfo=UTC)
    session.add_all(
        Erasure(
            person_id=8000 + n, person_reference=f"R-GONE{n}", erased_by="U", erased_at=erased_at
        )
        for n in range(erased_elsewhere)
    )
    back = [add_person(session, "Palautettu", f"Takaisin{n}") for n in range(2)]
    session.add_all(
        Erasure(
            person_id=person.id,
            person_key=person.person_key,
            person_reference=person.reference,
            erased_by="U",
            erased_at=erased_at,
        )
        for person in back
    )
    session.flush()
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        replayed = erasure.replay_erasures(session=session)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements, replayed.erased


def test_the_replay_reads_no_more_for_more_erasures_on_record(session: Session) -> None:
    savepoint = session.begin_nested()
    few, few_erased = replay_statements(session, 2)
    savepoint.rollback()
    many, many_erased = replay_statements(session, 40)

    assert len(few_erased) == len(many_erased) == 2
    assert len(many) == len(few)
    for optimize in erasure.SQLITE_SEARCH_OPTIMIZE:
        assert sum(optimize in statement for statement in many) <= 1


def test_a_replay_of_several_persons_keeps_each_request_under_its_own_reference(
    session: Session, advisor: StaffMember
) -> None:
    persons = [
        add_person(session, name, "Palautettu", phone_numbers=(phone,))
        for name, phone in (("Aino", "+358401111111"), ("Eino", "+358402222222"))
    ]
    requests = []
    for person in persons:
        add_meeting(session, person, advisor, datetime(2026, 3, 2, 9, tzinfo=UTC))
        request = DataSubjectRequest(
            kind=RequestKind.ACCESS,
            person_id=person.id,
            channel=RequestChannel.EMAIL,
            received_on=date(2026, 3, 1),
            due_on=date(2026, 4, 1),
        )
        session.add(request)
        session.add(
            Erasure(
                person_id=person.id,
                person_key=person.person_key,
                person_reference=person.reference,
                erased_by="U",
            )
        )
        requests.append((request, person.reference))
    session.flush()
    expected = [(request.id, reference) for request, reference in requests]
    ids = sorted(person.id for person in persons)

    assert erasure.replay_erasures(session=session).erased == ids

    session.expire_all()
    for model in (PhoneNumber, Relationship, Meeting):
        assert session.scalar(select(func.count()).where(model.person_id.in_(ids))) == 0, model
    assert session.scalar(select(func.count()).where(Person.id.in_(ids))) == 0
    for request_id, reference in expected:
        stored = session.get(DataSubjectRequest, request_id)
        assert stored is not None
        assert (stored.person_id, stored.person_reference) == (None, reference)
