"""Revision 0020 on a register that already has rows: the search terms and words become agency
1's, keys become unique per agency, and every row and every trigger stays; going back gives
one register's keys and search tables again."""

import pytest
from alembic import command
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.migrate import alembic_config, upgrade

AT = "'2026-01-01 10:00:00'"
ROWS = [
    "INSERT INTO staff (id, slack_user_id, display_name, role, active, created_at, updated_at) "
    f"VALUES (1, 'UADVISOR', '', 'advisor', true, {AT}, {AT})",
    *(
        "INSERT INTO persons (id, reference, person_key, creation_key, first_name, last_name, "
        "search_name, source, restricted, created_at, updated_at, last_activity_at) "
        f"VALUES ({n}, 'R-T000{n}', '0000000000000000000000000000000{n}', 'form-{n}', 'Testi', "
        f"'Virtanen{n}', ' testi virtanen{n} ', 'person', false, {AT}, {AT}, {AT})"
        for n in (1, 2, 3)
    ),
    "INSERT INTO meetings (id, person_id, advisor_id, occurred_at, kind, idempotency_key, "
    f"created_at) VALUES (1, 2, 1, {AT}, 'meeting', 'meeting-1', {AT})",
    "INSERT INTO data_subject_requests (id, kind, person_id, channel, language, received_on, "
    "due_on, status, filing_key, created_at, updated_at) VALUES (1, 'access', 3, 'email', 'fi', "
    f"'2026-01-02', '2026-02-02', 'received', 'filing-1', {AT}, {AT})",
    f"INSERT INTO job_runs (id, job, period, started_at) VALUES (1, 'reminders', '2026-01', {AT})",
    "INSERT INTO outbox_messages (id, key, kind, recipient, params, status, attempts, "
    f"next_attempt_at, created_at) VALUES (1, 'alert:1', 'request_alert', 'UADVISOR', '{{}}', "
    f"'pending', 0, {AT}, {AT})",
    f"INSERT INTO handled_events (id, event_id, handled_at) VALUES (1, 'Ev01', {AT})",
    "INSERT INTO slack_files (id, slack_file_id, channel_id, kind, uploaded_for, uploaded_at, "
    f"keep_until) VALUES (1, 'F01', 'D01', 'report', 'UADVISOR', {AT}, {AT})",
    "INSERT INTO slack_messages (id, channel_id, message_ts, kind, recipient, params, "
    f"posted_at) VALUES (1, 'C01', '1.0001', 'request_alert', 'C01', '{{}}', {AT})",
]
TABLES = (
    "staff",
    "persons",
    "meetings",
    "data_subject_requests",
    "job_runs",
    "outbox_messages",
    "handled_events",
    "slack_files",
    "slack_messages",
    "persons_search_terms",
    "persons_search_words",
)
# Each key of agency 1 written again, for agency 2 (or for agency 1 again: refused).
SAME_KEYS = [
    "INSERT INTO staff (slack_user_id, display_name, role, active, created_at, updated_at, "
    f"agency_id) VALUES ('UADVISOR', '', 'advisor', true, {AT}, {AT}, :agency)",
    "INSERT INTO persons (reference, person_key, creation_key, first_name, last_name, "
    "search_name, source, restricted, created_at, updated_at, last_activity_at, agency_id) "
    "VALUES ('R-T0001', '00000000000000000000000000000009', 'form-1', 'Testi', 'Virtanen1', "
    f"' testi virtanen1 ', 'person', false, {AT}, {AT}, {AT}, :agency)",
    "INSERT INTO job_runs (job, period, started_at, agency_id) "
    f"VALUES ('reminders', '2026-01', {AT}, :agency)",
    f"INSERT INTO handled_events (event_id, handled_at, agency_id) VALUES ('Ev01', {AT}, :agency)",
    "INSERT INTO slack_messages (channel_id, message_ts, kind, recipient, params, posted_at, "
    f"agency_id) VALUES ('C01', '1.0001', 'request_alert', 'C01', '{{}}', {AT}, :agency)",
]


def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def counts(connection: Connection) -> dict[str, int]:
    return {
        table: connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0 for table in TABLES
    }


def triggers(connection: Connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    return set(connection.scalars(text(query)))


def with_rows(database: Database) -> tuple[dict[str, int], set[str]]:
    upgrade(database.engine, "0019")
    with database.engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
        if connection.dialect.name == "postgresql":  # the rows above gave their ids
            for table in ("agencies", *TABLES[:-2]):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 10)")
                )
        connection.execute(
            text("INSERT INTO agencies (id, name, created_at) VALUES (2, 'Toinen', :at)"),
            {"at": "2026-01-01"},
        )
        return counts(connection), triggers(connection)


def test_every_row_and_trigger_stays_and_the_search_tables_become_the_agencys(
    empty_database: Database,
) -> None:
    before, triggers_before = with_rows(empty_database)
    assert before["persons_search_terms"] > 0

    upgrade(empty_database.engine)

    with empty_database.engine.begin() as connection:
        assert counts(connection) == before
        assert triggers(connection) == triggers_before
        terms = connection.execute(
            text("SELECT DISTINCT agency_id, person_id FROM persons_search_terms")
        ).all()
        assert sorted(terms) == [(1, 1), (1, 2), (1, 3)]
        words = connection.execute(
            text("SELECT agency_id, word, persons FROM persons_search_words ORDER BY word")
        ).all()
        assert words == [(1, "testi", 3), *((1, f"virtanen{n}", 1) for n in (1, 2, 3))]
        if connection.dialect.name == "sqlite":
            assert connection.scalar(text("PRAGMA integrity_check")) == "ok"


def test_keys_are_unique_per_agency_and_in_the_whole_register_again_after_going_back(
    empty_database: Database,
) -> None:
    with_rows(empty_database)
    upgrade(empty_database.engine)

    with empty_database.engine.begin() as connection:
        for statement in SAME_KEYS:
            connection.execute(text(statement), {"agency": 2})
        words = connection.execute(
            text("SELECT agency_id, persons FROM persons_search_words WHERE word = 'virtanen1'")
        ).all()
        assert sorted(words) == [(1, 1), (2, 1)]
    for statement in SAME_KEYS:
        with pytest.raises(IntegrityError), empty_database.engine.begin() as connection:
            connection.execute(text(statement), {"agency": 1})

    with empty_database.engine.begin() as connection:
        for table in ("staff", "persons", "job_runs", "handled_events", "slack_messages"):
            connection.execute(text(f"DELETE FROM {table} WHERE agency_id = 2"))
    downgrade(empty_database, "0019")

    columns = {
        column["name"]
        for column in inspect(empty_database.engine).get_columns("persons_search_words")
    }
    assert "agency_id" not in columns
    with empty_database.engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM persons_search_terms")) > 0
    for statement in SAME_KEYS:
        with pytest.raises(IntegrityError), empty_database.engine.begin() as connection:
            connection.execute(text(statement), {"agency": 2})
