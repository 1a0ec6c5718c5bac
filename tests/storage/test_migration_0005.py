"""Revision 0005 on a register that already has rows: SQLite's tables rebuilt with
AUTOINCREMENT keep their rows, constraints, indexes and triggers; every person gets a key that
a backup migrated again would get too; no id an erasure or the audit trail named is given
again."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, text

from storage.db import Database
from storage.migrate import upgrade
from tests.databases import TemplateDatabases

ROWS = [
    "INSERT INTO staff (id, slack_user_id, display_name, role, active, created_at, updated_at) "
    "VALUES (1, 'UADVISOR', '', 'advisor', true, '2026-01-01', '2026-01-01')",
    *(
        "INSERT INTO persons (id, reference, first_name, last_name, search_name, source, "
        "restricted, created_at, updated_at, last_activity_at) "
        f"VALUES ({n}, 'R-T000{n}', 'Testi', 'Virtanen{n}', ' testi virtanen{n} ', 'person', "
        "false, '2026-01-01 10:00:00', '2026-01-01', '2026-01-01')"
        for n in (1, 2, 3)
    ),
    "INSERT INTO phone_numbers (id, person_id, number) VALUES (1, 1, '+358401234567')",
    "INSERT INTO meetings (id, person_id, advisor_id, occurred_at, kind, idempotency_key, "
    "created_at) VALUES (1, 2, 1, '2026-01-02', 'meeting', 'k1', '2026-01-02')",
    "INSERT INTO data_subject_requests (id, kind, person_id, channel, language, received_on, "
    "due_on, status, created_at, updated_at) VALUES (1, 'access', 3, 'email', 'fi', "
    "'2026-01-02', '2026-02-02', 'received', '2026-01-02', '2026-01-02')",
    "INSERT INTO erasures (id, person_id, person_reference, erased_by, erased_at) "
    "VALUES (1, 7, 'R-T0007', 'UCONTROL', '2026-01-03')",
    "INSERT INTO audit_events (id, at, actor, action, person_id, outcome, previous_hash, hash) "
    "VALUES (1, '2026-01-03', 'UCONTROL', 'person.view', 8, 'allowed', 'x', 'y')",
]
COUNTS = {
    "staff": 1,
    "persons": 3,
    "phone_numbers": 1,
    "meetings": 1,
    "data_subject_requests": 1,
    "erasures": 1,
    "audit_events": 1,
}


@pytest.fixture
def empty_databases(backend: str, templates: TemplateDatabases) -> Iterator[list[Database]]:
    urls = [templates.empty(backend), templates.empty(backend)]
    databases = [Database(url) for url in urls]
    yield databases
    for database, url in zip(databases, urls, strict=True):
        database.dispose()
        templates.drop(url)


def migrated_with_rows(database: Database) -> None:
    upgrade(database.engine, "0004")
    with database.engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    upgrade(database.engine)


def keys(connection: Connection) -> list[tuple[int, str]]:
    rows = connection.execute(text("SELECT id, person_key FROM persons ORDER BY id"))
    return [(person_id, str(key)) for person_id, key in rows]


def test_the_rows_stay_every_person_gets_a_key_and_no_named_id_comes_back(
    empty_databases: list[Database],
) -> None:
    first, second = empty_databases
    migrated_with_rows(first)
    migrated_with_rows(second)

    with first.engine.begin() as connection:
        for table, count in COUNTS.items():
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == count
        first_keys = keys(connection)
        assert len({key for _, key in first_keys}) == 3
        connection.execute(
            text(
                "INSERT INTO persons (reference, first_name, last_name, search_name, source, "
                "restricted, created_at, updated_at, last_activity_at, person_key) VALUES "
                "('R-NEW01', 'Uusi', 'Tulija', ' uusi tulija ', 'person', false, "
                "'2026-02-01', '2026-02-01', '2026-02-01', :key)"
            ),
            {
                "key": "0" * 32
                if first.backend == "sqlite"
                else "00000000-0000-0000-0000-000000000000"
            },
        )
        new_id = connection.execute(text("SELECT id FROM persons WHERE reference = 'R-NEW01'"))
        assert new_id.scalar() == 9  # past the erased 7 and the audited 8
    with second.engine.connect() as connection:
        assert keys(connection) == first_keys


def test_on_sqlite_the_search_index_triggers_and_constraints_survive_the_rebuild(
    empty_databases: list[Database],
) -> None:
    database = empty_databases[0]
    if database.backend != "sqlite":
        pytest.skip("the tables are rebuilt on SQLite only")
    migrated_with_rows(database)

    with database.engine.begin() as connection:
        triggers = connection.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        ).scalars()
        assert list(triggers) == [
            "audit_event_persons_no_delete",
            "audit_event_persons_no_update",
            "audit_events_no_delete",
            "audit_events_no_update",
            "audit_events_queue",
            "audit_seals_no_delete",
            "audit_seals_no_update",
            "persons_search_delete",
            "persons_search_insert",
            "persons_search_terms_delete",
            "persons_search_terms_insert",
            "persons_search_terms_move",
            "persons_search_terms_rename",
            "persons_search_update",
            "persons_search_words_delete",
            "persons_search_words_insert",
        ]
        indexes = set(
            connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            ).scalars()
        )
        assert {
            "ix_persons_agency_id_email_nocase",
            "ix_persons_person_key",
            "ix_meetings_follow_up_on",
        } <= indexes
        connection.execute(
            text("INSERT INTO persons_search (persons_search, rank) VALUES ('integrity-check', 1)")
        )
        assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        found = connection.execute(
            text("SELECT rowid FROM persons_search WHERE persons_search MATCH 'virtanen2'")
        )
        assert found.scalars().all() == [2]
        connection.execute(text("UPDATE persons SET search_name = ' maija mallikas ' WHERE id = 2"))
        found = connection.execute(
            text("SELECT rowid FROM persons_search WHERE persons_search MATCH 'mallikas'")
        )
        assert found.scalars().all() == [2]
        connection.execute(text("DELETE FROM persons WHERE id = 1"))
        assert connection.execute(text("SELECT count(*) FROM phone_numbers")).scalar() == 0
        with pytest.raises(Exception, match="append-only"):
            connection.execute(text("DELETE FROM audit_events"))
