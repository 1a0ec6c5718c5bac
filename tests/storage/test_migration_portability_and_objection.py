"""The revision that adds portability and objection, on a register that has requests: the new
kinds and status are taken and unknown ones still refused, the rows and the tables that refer
to requests are kept (SQLite's schema text is rewritten, not the table rebuilt, so nothing
cascades); going back removes what only the new revision knows."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from storage.db import Database
from storage.migrate import alembic_config, upgrade

# The revision before this one, found by its file's name: revisions may be renumbered.
(THIS,) = [
    script
    for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    if (script.path or "").endswith("_portability_and_objection.py")
]
PREVIOUS = str(THIS.down_revision)

BEFORE = [
    "INSERT INTO persons (id, reference, first_name, last_name, search_name, source, "
    "restricted, created_at, updated_at, last_activity_at, person_key) VALUES (1, 'R-T0001', "
    "'Testi', 'Virtanen', ' testi virtanen ', 'person', false, '2026-01-01', '2026-01-01', "
    "'2026-01-01', '00000000-0000-0000-0000-000000000001')",
    "INSERT INTO data_subject_requests (id, kind, person_id, channel, language, received_on, "
    "due_on, status, created_at, updated_at) VALUES (1, 'access', 1, 'email', 'fi', "
    "'2026-01-02', '2026-02-02', 'in_progress', '2026-01-02', '2026-01-02')",
    "INSERT INTO request_alerts (request_id, slack_user_id, channel_id, message_ts) "
    "VALUES (1, 'UCONTROL', 'DCONTROL', '1700000000.000100')",
    "INSERT INTO slack_files (slack_file_id, channel_id, kind, uploaded_for, request_id, "
    "uploaded_at, keep_until) VALUES ('F1', 'DCONTROL', 'access_package', 'UCONTROL', 1, "
    "'2026-01-03', '2026-01-17')",
]
REQUEST = (
    "INSERT INTO data_subject_requests (id, kind, person_id, channel, language, received_on, "
    "due_on, status, created_at, updated_at) VALUES (:id, :kind, 1, 'email', 'fi', '2026-01-02', "
    "'2026-02-02', :status, '2026-01-02', '2026-01-02')"
)


def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def count(connection: Connection, table: str) -> int:
    return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_the_new_kinds_are_taken_and_nothing_that_refers_to_a_request_is_lost(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, PREVIOUS)
    with empty_database.engine.begin() as connection:
        for statement in BEFORE:
            connection.execute(text(statement))

    upgrade(empty_database.engine)

    with empty_database.engine.begin() as connection:
        assert count(connection, "request_alerts") == 1
        assert count(connection, "slack_files") == 1
        connection.execute(text(REQUEST), {"id": 2, "kind": "portability", "status": "fulfilled"})
        connection.execute(text(REQUEST), {"id": 3, "kind": "objection", "status": "completed"})
        connection.execute(
            text(
                "UPDATE data_subject_requests SET objection_scope = 'direct_marketing', "
                "answer_delivery = 'post', answered_on = '2026-01-20' WHERE kind = 'objection'"
            )
        )
        connection.execute(
            text(
                "INSERT INTO slack_files (slack_file_id, channel_id, kind, uploaded_for, "
                "uploaded_at, keep_until) VALUES ('F2', 'D', 'portability_package', 'U', "
                "'2026-01-03', '2026-01-17')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO outbox_messages (key, kind, recipient, params, status, attempts, "
                "next_attempt_at, created_at) VALUES ('p', 'portability_package', 'U', '{}', "
                "'pending', 0, '2026-01-01', '2026-01-01')"
            )
        )
    for column, value in (
        ("kind", "complaint"),
        ("status", "lost"),
        ("answer_delivery", "pigeon"),
        ("objection_scope", "everything"),
    ):
        with (
            pytest.raises(Exception, match=r"(?i)check"),
            empty_database.engine.begin() as connection,
        ):
            connection.execute(
                text(f"UPDATE data_subject_requests SET {column} = :value WHERE id = 1"),
                {"value": value},
            )


def test_going_back_removes_the_new_kinds_and_keeps_the_rest(empty_database: Database) -> None:
    upgrade(empty_database.engine, PREVIOUS)
    with empty_database.engine.begin() as connection:
        for statement in BEFORE:
            connection.execute(text(statement))
    upgrade(empty_database.engine)
    with empty_database.engine.begin() as connection:
        connection.execute(text(REQUEST), {"id": 2, "kind": "objection", "status": "received"})
        connection.execute(
            text("UPDATE data_subject_requests SET status = 'fulfilled' WHERE id = 1")
        )

    downgrade(empty_database, PREVIOUS)

    with empty_database.engine.begin() as connection:
        rows = connection.execute(text("SELECT id, status FROM data_subject_requests")).all()
        assert [tuple(row) for row in rows] == [(1, "in_progress")]
        assert count(connection, "request_alerts") == 1
    with pytest.raises(Exception, match=r"(?i)check"), empty_database.engine.begin() as connection:
        connection.execute(text(REQUEST), {"id": 4, "kind": "portability", "status": "received"})
    upgrade(empty_database.engine)
