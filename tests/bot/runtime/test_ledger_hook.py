"""The ledger is written from the database's sessions, after the erasure's commit and only
then, whatever edge committed it."""

import logging
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.runtime.erasure_ledger import read_ledger
from bot.runtime.ledger_hook import keep_ledger
from storage import erasure
from storage.db import Database
from storage.models import Erasure, Staff
from storage.models.enums import Role
from storage.staff import StaffMember
from tests.people import add_person, add_staff


class Interrupted(Exception):
    pass


@pytest.fixture
def kept(database: Database, ledger_path: Path) -> Database:
    keep_ledger(database, ledger_path)
    keep_ledger(database, ledger_path)  # a second install changes nothing
    return database


def controller(session: Session) -> StaffMember:
    staff = session.scalars(select(Staff).where(Staff.slack_user_id == "UCONTROL")).one_or_none()
    return StaffMember.of(staff) if staff else add_staff(session, "UCONTROL", Role.CONTROLLER)


def erase_someone(database: Database) -> tuple[int, str]:
    with database.transaction() as session:
        person = add_person(session, "Poistuva", "Henkilo")
        erasure.erase(
            session=session, actor=controller(session), person_id=person.id, request_id=None
        )
        return person.id, str(person.person_key)


def test_each_committed_erasure_is_one_line(kept: Database, ledger_path: Path) -> None:
    first = erase_someone(kept)
    second = erase_someone(kept)

    assert [(r.person_id, str(r.person_key)) for r in read_ledger(ledger_path)] == [first, second]


def test_an_erasure_rolled_back_writes_nothing(kept: Database, ledger_path: Path) -> None:
    with pytest.raises(Interrupted), kept.transaction() as session:
        person = add_person(session)
        erasure.erase(
            session=session, actor=controller(session), person_id=person.id, request_id=None
        )
        raise Interrupted

    with kept.transaction() as session:
        person = add_person(session)
        savepoint = session.begin_nested()
        erasure.erase(
            session=session, actor=controller(session), person_id=person.id, request_id=None
        )
        savepoint.rollback()

    assert not ledger_path.exists()


def test_a_ledger_that_cannot_be_written_leaves_the_erasure_done_and_says_so(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    keep_ledger(database, blocked / "erasure-ledger.jsonl")

    with caplog.at_level(logging.ERROR):
        person_id, _ = erase_someone(database)

    assert "Erasure ledger not written (FileExistsError) for 1 erasure records" in caplog.text
    with database.reading() as session:
        records = erasure.erasure_records(session=session)
        assert [r.person_id for r in records] == [person_id]
        (erasure_id,) = session.scalars(select(Erasure.id)).all()
    assert f"ids [{erasure_id}];" in caplog.text
