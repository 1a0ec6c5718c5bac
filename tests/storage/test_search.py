from dataclasses import fields
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from storage.db import Database
from storage.errors import NotFound, SearchTooLong
from storage.migrate import alembic_config, upgrade
from storage.models import AuditEvent, AuditEventPerson, Meeting, Person, PhoneNumber
from storage.models.enums import MeetingKind, Purpose
from storage.search import (
    _HITS,
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    TOTAL_CAP,
    PersonHit,
    find_hit,
    search_persons,
)
from tests.storage.searching import ADVISOR, CONTROLLER, names

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
_references = count(1)


def add_person(
    session: Session,
    first_name: str,
    last_name: str,
    *,
    email: str | None = None,
    phones: tuple[str, ...] = (),
    restricted: bool = False,
    active_days_ago: int = 100,
) -> Person:
    person = Person(
        reference=f"R-T{next(_references):04d}",
        first_name=first_name,
        last_name=last_name,
        email=email,
        municipality="Esimerkkilä",
        restricted=restricted,
        last_activity_at=NOW - timedelta(days=active_days_ago),
        phone_numbers=[PhoneNumber(number=number) for number in phones],
    )
    session.add(person)
    session.flush()
    return person


def test_partial_name_finds_the_person(session: Session) -> None:
    add_person(session, "Testi", "Virtanen")
    add_person(session, "Maija", "Mallikas")

    assert names(session, "virt") == ["Testi Virtanen"]
    assert names(session, "MALLI") == ["Maija Mallikas"]


@pytest.mark.parametrize("query", ["makinen", "MÄKI", "mäkinen", "Makinen"])
def test_case_and_accents_do_not_matter(session: Session, query: str) -> None:
    add_person(session, "Testi", "Mäkinen")

    assert names(session, query) == ["Testi Mäkinen"]


def test_accents_in_the_register_do_not_hide_a_plain_query(session: Session) -> None:
    add_person(session, "Jöns", "Åström")

    assert names(session, "jons astrom") == ["Jöns Åström"]


@pytest.mark.parametrize("query", ["Virtsnen", "virtanen", "Virtnen", "Virttanen", "irtanen"])
def test_one_letter_typo_still_finds_the_person(session: Session, query: str) -> None:
    add_person(session, "Testi", "Virtanen")

    assert names(session, query) == ["Testi Virtanen"]


def test_two_typos_or_a_typo_in_a_short_word_find_nothing(session: Session) -> None:
    add_person(session, "Testi", "Virtanen")
    add_person(session, "Anna", "Koski")

    assert names(session, "Vistsnen") == []
    assert names(session, "Amna") == []


def test_one_typo_per_query_in_any_of_its_words(session: Session) -> None:
    add_person(session, "Kristiina", "Virtanen")
    add_person(session, "Kristiina", "Mallikas")

    assert names(session, "kristiina virtsnen") == ["Kristiina Virtanen"]
    assert names(session, "kristina virtanen") == ["Kristiina Virtanen"]
    assert names(session, "kristina virtsnen") == []


def test_a_typo_in_a_whole_word_goes_before_one_in_the_start_of_a_word(
    session: Session,
) -> None:
    add_person(session, "Testi", "Kangas")
    add_person(session, "Maija", "Kangasniemi")

    assert names(session, "kangaa") == ["Testi Kangas"]
    assert names(session, "kangasniwm") == ["Maija Kangasniemi"]


def test_a_typo_is_allowed_at_the_start_of_a_word_only(session: Session) -> None:
    add_person(session, "Testi", "Rantamäki")

    assert names(session, "rantamaku") == ["Testi Rantamäki"]
    assert names(session, "tamaku") == []


def test_typos_are_a_fallback_when_nothing_matches_exactly(session: Session) -> None:
    add_person(session, "Testi", "Virtanen")
    add_person(session, "Maija", "Virtasen")

    assert names(session, "virtanen") == ["Testi Virtanen"]


def test_first_and_last_name_together_narrow_to_the_person(session: Session) -> None:
    add_person(session, "Testi", "Virtanen")
    add_person(session, "Maija", "Virtanen")
    add_person(session, "Testi", "Mallikas")

    assert names(session, "testi virt") == ["Testi Virtanen"]
    assert names(session, "virt testi") == ["Testi Virtanen"]


def test_two_letters_match_the_start_of_a_word(session: Session) -> None:
    add_person(session, "Testi", "Ek")
    add_person(session, "Maija", "Lek")

    assert names(session, "ek") == ["Testi Ek"]


def test_whole_word_before_word_start_before_substring_then_recent_first(
    session: Session,
) -> None:
    add_person(session, "Maija", "Rantamäki", active_days_ago=1)
    add_person(session, "Testi", "Mäkinen", active_days_ago=2)
    add_person(session, "Maija", "Mäki", active_days_ago=30)
    add_person(session, "Testi", "Mäkiaho", active_days_ago=1)
    add_person(session, "Testi", "Mäki", active_days_ago=5)

    assert names(session, "mäki") == [
        "Testi Mäki",
        "Maija Mäki",
        "Testi Mäkiaho",
        "Testi Mäkinen",
        "Maija Rantamäki",
    ]


def test_email_is_found_whatever_its_case(session: Session) -> None:
    add_person(session, "Maija", "Mallikas", email="maija.mallikas@example.fi")

    assert names(session, "Maija.Mallikas@EXAMPLE.fi") == ["Maija Mallikas"]


def test_email_prefix_finds_and_exact_address_ranks_first(session: Session) -> None:
    add_person(session, "Maija", "Mallikas", email="maija.mallikas@example.fi", active_days_ago=1)
    add_person(session, "Testi", "Mallikas", email="maija.mallikas@example.com", active_days_ago=9)
    add_person(session, "Maija", "Virtanen", email="maija_virtanen@example.fi")

    assert names(session, "maija.mallikas@example.com") == ["Testi Mallikas"]
    assert names(session, "maija.mallikas@example") == ["Maija Mallikas", "Testi Mallikas"]
    assert names(session, "maija_virtanen@") == ["Maija Virtanen"]
    assert names(session, "maija%virtanen@") == []
    assert names(session, "mallikas@example.fi") == []


@pytest.mark.parametrize(
    "query", ["040 123 4567", "+358 40 1234567", "0401234567", "00358401234567"]
)
def test_phone_in_any_common_format(session: Session, query: str) -> None:
    add_person(session, "Testi", "Virtanen", phones=("+358401234567",))

    assert names(session, query) == ["Testi Virtanen"]


def test_phone_finds_every_owner_of_the_number_and_nothing_for_another(
    session: Session,
) -> None:
    add_person(session, "Testi", "Virtanen", phones=("+358401234567", "+358501234567"))
    add_person(session, "Maija", "Virtanen", phones=("+358501234567",))

    assert sorted(names(session, "050 123 4567")) == ["Maija Virtanen", "Testi Virtanen"]
    assert names(session, "040 765 4321") == []
    assert names(session, "12345") == []


def test_public_reference_finds_its_person(session: Session) -> None:
    person = add_person(session, "Testi", "Virtanen")

    assert names(session, person.reference.lower()) == ["Testi Virtanen"]
    assert names(session, "R-ZZZZZ") == []


def test_index_follows_updates_and_deletes(session: Session) -> None:
    person = add_person(session, "Testi", "Virtanen", email="testi@example.fi")
    other = add_person(session, "Maija", "Mallikas")

    person.last_name = "Mäkinen"
    person.email = "testi.makinen@example.fi"
    session.flush()
    session.delete(other)
    session.flush()

    assert names(session, "virtanen") == []
    assert names(session, "makinen") == ["Testi Mäkinen"]
    assert names(session, "testi@example.fi") == []
    assert names(session, "testi.makinen@example.fi") == ["Testi Mäkinen"]
    assert names(session, "mallikas") == []


def test_sqlite_keeps_its_text_index_by_triggers(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        return
    triggers = session.scalars(
        text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'persons'")
    ).all()

    assert {"persons_search_insert", "persons_search_update", "persons_search_delete"} <= set(
        triggers
    )


def test_restricted_person_is_hidden_from_an_advisor_and_shown_to_a_controller(
    session: Session,
) -> None:
    add_person(session, "Testi", "Virtanen", restricted=True)

    assert names(session, "virtanen") == []
    assert names(session, "virtanen", CONTROLLER) == ["Testi Virtanen"]
    result = search_persons(
        session=session, viewer=CONTROLLER, query="virtanen", purpose=Purpose.MEETING_RECORD
    )
    assert [hit.restricted for hit in result.hits] == [True]


def test_each_shown_hit_is_audited_with_its_purpose(session: Session) -> None:
    shown = [add_person(session, "Testi", f"Virtanen{n}", active_days_ago=n) for n in range(3)]
    add_person(session, "Testi", "Virtanen9", active_days_ago=50)

    result = search_persons(
        session=session, viewer=ADVISOR, query="virtanen", purpose=Purpose.MEETING_RECORD, limit=3
    )

    assert [hit.id for hit in result.hits] == [person.id for person in shown]
    assert (result.total, result.more) == (4, 1)
    (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.search"))
    assert (event.actor, event.purpose) == ("UADVISOR", "meeting_record")
    persons = select(AuditEventPerson.person_id).where(AuditEventPerson.event_id == event.id)
    assert sorted(session.scalars(persons)) == sorted(person.id for person in shown)


def test_total_is_capped_for_a_broad_query(session: Session) -> None:
    session.add_all(
        Person(reference=f"R-C{n:05d}", first_name="Testi", last_name="Korhonen")
        for n in range(TOTAL_CAP + 5)
    )
    session.flush()

    result = search_persons(
        session=session, viewer=ADVISOR, query="korho", purpose=Purpose.CUSTOMER_SERVICE
    )

    assert (len(result.hits), result.total, result.total_is_capped) == (10, TOTAL_CAP, True)
    assert result.more == TOTAL_CAP - 10


def test_short_query_returns_nothing_and_audits_nothing(session: Session) -> None:
    add_person(session, "Testi", "V")

    result = search_persons(
        session=session, viewer=ADVISOR, query="v", purpose=Purpose.CUSTOMER_SERVICE
    )

    assert result.hits == [] and result.total == 0
    assert session.scalars(select(AuditEvent)).all() == []


def test_find_hit_gives_the_last_meeting_and_hides_restricted(session: Session) -> None:
    person = add_person(session, "Testi", "Virtanen")
    hidden = add_person(session, "Maija", "Mallikas", restricted=True)
    for days, key in ((10, "a"), (3, "b")):
        session.add(
            Meeting(
                person_id=person.id,
                occurred_at=NOW - timedelta(days=days),
                kind=MeetingKind.MEETING,
                idempotency_key=f"test-{person.id}-{key}",
            )
        )
    session.flush()

    hit = find_hit(session=session, viewer=ADVISOR, person_id=person.id)

    assert (hit.reference, hit.last_meeting_at) == (person.reference, NOW - timedelta(days=3))
    assert find_hit(session=session, viewer=CONTROLLER, person_id=hidden.id).id == hidden.id
    with pytest.raises(NotFound):
        find_hit(session=session, viewer=ADVISOR, person_id=hidden.id)
    with pytest.raises(NotFound):
        find_hit(session=session, viewer=ADVISOR, person_id=999_999)


def test_the_migration_indexes_persons_already_in_the_register(database: Database) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO persons (reference, first_name, last_name, source, restricted,"
                " created_at, updated_at, last_activity_at) VALUES ('R-MIGR1', 'Testi',"
                " 'Mäkinen', 'person', false, :now, :now, :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
    upgrade(database.engine)

    with database.transaction() as session:
        assert names(session, "makinen") == ["Testi Mäkinen"]


@pytest.mark.parametrize(
    "query",
    [
        "virtanen " * 120,  # a thousand characters
        "a" * 4000,
        "testi maija virtanen mallikas esimerkki matti teppo",  # seven words
    ],
)
def test_a_search_past_the_caps_is_refused_before_it_reaches_the_database(
    session: Session, query: str
) -> None:
    add_person(session, "Testi", "Virtanen")
    with pytest.raises(SearchTooLong):
        names(session, query)


def test_a_search_within_the_caps_runs(session: Session) -> None:
    add_person(session, "Testi", "Virtanen")
    longest = " ".join(["virtsnen"] * MAX_QUERY_WORDS)
    assert names(session, longest) == []
    assert names(session, "x" * (MAX_QUERY_LENGTH - 9) + " virtanen") == []


def test_the_hit_statement_selects_a_hits_fields_in_their_order() -> None:
    # A hit is built from a row by position: the statement's columns must follow PersonHit's.
    assert [column.name for column in _HITS.selected_columns] == [
        field.name for field in fields(PersonHit)
    ]
