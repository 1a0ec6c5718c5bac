"""The record of the copies in Slack: an erasure puts up for deletion every file about the
person and for redaction every message naming them, and nothing else; a copy whose person was
erased while it was under way is put up at once; expired files are found by their date."""

from datetime import UTC, datetime, timedelta
from html import escape

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import access_package, erasure, outbox, slack_copies
from storage.access_package_html import to_html
from storage.models import OutboxMessage, Person, SlackMessagePerson
from storage.models.enums import OutboxKind, Role, SlackFileKind
from storage.register_description import PeriodsInForce
from storage.staff import StaffMember
from tests.people import add_person, add_staff

NOW = datetime(2026, 11, 27, 8, tzinfo=UTC)


@pytest.fixture
def controller(session: Session) -> StaffMember:
    return add_staff(session, "UCONTROL", Role.CONTROLLER)


def file_about(session: Session, slack_file_id: str, *persons: Person, days: int = 14) -> int:
    (file_id,) = slack_copies.record_files(
        session=session,
        slack_file_ids=[slack_file_id],
        channel_id="DCONTROL",
        kind=SlackFileKind.SURVEY_LIST,
        uploaded_for="UCONTROL",
        keep_until=NOW + timedelta(days=days),
        person_ids=[person.id for person in persons],
    )
    return file_id


def message_naming(session: Session, ts: str, *persons: Person) -> int:
    return slack_copies.record_message(
        session=session,
        channel_id="DADVISOR",
        message_ts=ts,
        kind=OutboxKind.FOLLOW_UPS,
        recipient="UADVISOR",
        params={"on": "2026-11-27"},
        person_ids=[person.id for person in persons],
    )


def queued(session: Session, kind: OutboxKind) -> list[dict[str, int]]:
    return [
        dict(params)
        for params in session.scalars(
            select(OutboxMessage.params)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
    ]


def test_an_erasure_puts_up_the_persons_files_and_messages_and_nothing_else(
    session: Session, controller: StaffMember
) -> None:
    erased, other = add_person(session, "Maija", "Poistettava"), add_person(session, "Matti")
    shared = file_about(session, "F1", erased, other)
    own = file_about(session, "F2", erased)
    gone = file_about(session, "F3", erased)
    slack_copies.mark_file_deleted(session=session, file_id=gone)
    file_about(session, "F4", other)
    named = message_naming(session, "1.1", erased, other)
    message_naming(session, "1.2", other)

    erasure.erase(session=session, actor=controller, person_id=erased.id, request_id=None)

    assert queued(session, OutboxKind.SLACK_FILE_DELETE) == [{"file": shared}, {"file": own}]
    assert queued(session, OutboxKind.SLACK_MESSAGE_REDACT) == [{"message": named}]
    # Delivered after the commit, by the fast path.
    assert len(outbox.take_enqueued(session)) == 3


def test_a_copy_whose_person_was_erased_meanwhile_is_put_up_at_once(
    session: Session, controller: StaffMember
) -> None:
    person = add_person(session, "Maija", "Poistettava")
    person_id = person.id
    erasure.erase(session=session, actor=controller, person_id=person_id, request_id=None)
    ghost = Person(id=person_id)

    file_id = file_about(session, "F1", ghost)
    message_id = message_naming(session, "1.1", ghost)

    assert queued(session, OutboxKind.SLACK_FILE_DELETE) == [{"file": file_id}]
    assert queued(session, OutboxKind.SLACK_MESSAGE_REDACT) == [{"message": message_id}]


def test_expired_files_are_put_up_once_and_young_ones_wait(session: Session) -> None:
    expired = file_about(session, "F1", days=-1)
    file_about(session, "F2", days=1)

    assert slack_copies.delete_expired(session=session, now=NOW) == 1
    assert slack_copies.delete_expired(session=session, now=NOW) == 0
    assert queued(session, OutboxKind.SLACK_FILE_DELETE) == [{"file": expired}]
    assert slack_copies.delete_expired(session=session, now=NOW + timedelta(days=1)) == 1


def test_a_redacted_message_keeps_only_whom_it_still_names(session: Session) -> None:
    first, second = add_person(session, "Maija"), add_person(session, "Matti")
    message_id = message_naming(session, "1.1", first, second)

    slack_copies.mark_message_redacted(
        session=session, message_id=message_id, still_named=[second.id]
    )

    linked = session.scalars(select(SlackMessagePerson.person_id)).all()
    assert linked == [second.id]


@pytest.mark.parametrize(("language", "said"), [("fi", "säilyy"), ("en", "stays")])
def test_the_access_package_says_how_long_a_file_stays_in_slack(
    session: Session, controller: StaffMember, language: str, said: str
) -> None:
    person = add_person(session, "Maija")
    package = access_package.build_access_package(
        session=session,
        actor=controller,
        person_id=person.id,
        language=language,
        periods=PeriodsInForce(slack_file_days=9),
    )
    copies = package.information["copies_in_slack"]
    assert said in copies and " 9 " in copies and "{days}" not in copies
    assert escape(copies) in to_html(package)
