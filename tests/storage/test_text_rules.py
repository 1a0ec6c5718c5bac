"""Storage refuses control characters itself, whatever the caller checked before."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from storage.errors import ControlCharacters
from storage.meetings import MeetingFields, log_meeting
from storage.models import Person
from storage.models.enums import MeetingKind
from storage.text_rules import has_control_characters
from tests.people import add_person, add_staff

MORNING = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("Virtanen", False, False),
        ("Mäkinen-Ölander", False, False),
        ("Testi\x00", False, True),
        ("\x1b[31mpunainen", False, True),
        ("soi\x07", False, True),
        ("kaksi\nriviä", False, True),
        ("sarkain\t", False, True),
        ("c1\x85", False, True),
        ("rivi\u2028erotin", False, True),
        ("kaksi\nriviä\tja sarkain", True, False),
        ("rivinvaihto\r\n", True, True),
        ("\x1b[2J", True, True),
        ("nolla\x00", True, True),
    ],
)
def test_the_rule_for_one_line_and_multi_line_text(
    text: str, multiline: bool, refused: bool
) -> None:
    assert has_control_characters(text, multiline=multiline) is refused


@pytest.mark.parametrize("typed", ["Testi\x00", "\x1b[31mTesti", "Testi\nVirtanen"])
def test_a_person_with_control_characters_is_not_stored(session: Session, typed: str) -> None:
    person = add_person(session, "Testi", "Virtanen")
    person.first_name = typed
    with pytest.raises(ControlCharacters) as refused:
        session.flush()
    assert str(refused.value) == "persons.first_name"


def test_a_new_row_with_a_nul_is_refused(session: Session) -> None:
    session.add(Person(reference="R-NUL00", first_name="Te\x00sti", last_name="Virtanen"))
    with pytest.raises(ControlCharacters):
        session.flush()


def test_multi_line_fields_keep_line_feeds_and_tabs(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session, "Maija", "Mallikas")
    person.street_address = "c/o Mallikas\nEsimerkkikatu 1"
    logged = log_meeting(
        session=session,
        actor=advisor,
        fields=MeetingFields(
            person_id=person.id,
            occurred_at=MORNING,
            duration_minutes=30,
            kind=MeetingKind.PHONE,
            topic="Rahoitus",
            notes="Ensin:\n\t- laskelma\n\t- rahoitus",
            follow_up_on=None,
        ),
        idempotency_key="text-rules-1",
    )
    session.flush()
    assert logged.id > 0


def test_a_meeting_note_with_an_escape_sequence_is_refused(session: Session) -> None:
    advisor = add_staff(session, "UADV1")
    person = add_person(session, "Maija", "Mallikas")
    with pytest.raises(ControlCharacters):
        log_meeting(
            session=session,
            actor=advisor,
            fields=MeetingFields(
                person_id=person.id,
                occurred_at=MORNING,
                duration_minutes=30,
                kind=MeetingKind.PHONE,
                topic="Rahoitus",
                notes="\x1b]8;;https://example.invalid\x07linkki\x1b]8;;\x07",
                follow_up_on=None,
            ),
            idempotency_key="text-rules-2",
        )
