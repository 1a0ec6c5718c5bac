import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage import audit
from storage.models import AuditEvent
from storage.models.enums import AuditOutcome
from tests.tampering import lift_audit_guards


def test_events_chain_each_to_the_one_before(session: Session) -> None:
    first = audit.record(
        session=session, actor="U1", action="person.view", person_id=7, purpose="advice"
    )
    second, third = audit.record_many(
        session=session, actor="U1", action="person.search", person_ids=[7, 8], purpose="advice"
    )
    assert first.previous_hash == audit.GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    report = audit.verify_chain(session=session)
    assert report.intact and report.checked == 3


def test_verify_names_the_first_changed_row(session: Session) -> None:
    events = [
        audit.record(session=session, actor="U1", action="person.view", person_id=n)
        for n in range(1, 5)
    ]
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == events[2].id).values(person_id=99))
    session.expire_all()

    report = audit.verify_chain(session=session)

    assert report.first_broken_id == events[2].id
    assert report.checked == 2


def test_verify_names_the_row_after_a_removed_one(session: Session) -> None:
    events = [audit.record(session=session, actor="U1", action="a", person_id=n) for n in range(4)]
    lift_audit_guards(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id == events[1].id))
    session.expire_all()

    assert audit.verify_chain(session=session).first_broken_id == events[2].id


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditEvent).values(outcome=AuditOutcome.DENIED),
        delete(AuditEvent),
    ],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_the_trail(session: Session, statement: object) -> None:
    audit.record(session=session, actor="U1", action="person.view", person_id=1)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(statement)  # type: ignore[call-overload]


def test_postgresql_refuses_truncate(session: Session, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("TRUNCATE audit_events"))
