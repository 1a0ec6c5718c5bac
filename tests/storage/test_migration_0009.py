"""Revision 0009 on a register whose outbox has rows: the outbox takes the two new kinds and
still refuses unknown ones, keeps its rows and never gives an id again (SQLite rebuilds it);
going back removes the new kinds' messages and the new tables."""

import pytest
from alembic import command
from sqlalchemy import Connection, inspect, text

from storage.db import Database
from storage.migrate import alembic_config, upgrade

OUTBOX_ROW = text(
    "INSERT INTO outbox_messages (key, kind, recipient, params, status, attempts, "
    "next_attempt_at, created_at) VALUES (:key, :kind, 'UCONTROL', '{}', 'pending', 0, "
    "'2026-11-01', '2026-11-01')"
)
FOUND = text("SELECT id FROM outbox_messages WHERE key = :key")
NEW_TABLES = {"slack_files", "slack_file_persons", "slack_messages", "slack_message_persons"}


def put(connection: Connection, key: str, kind: str) -> int:
    connection.execute(OUTBOX_ROW, {"key": key, "kind": kind})
    return int(connection.execute(FOUND, {"key": key}).scalar_one())


def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_the_outbox_takes_the_new_kinds_keeps_its_rows_and_gives_no_id_again(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, "0008")
    with empty_database.engine.begin() as connection:
        put(connection, "kept", "follow_ups")
        deleted = put(connection, "deleted", "audit_broken")
        connection.execute(text("DELETE FROM outbox_messages WHERE id = :id"), {"id": deleted})

    upgrade(empty_database.engine)

    with empty_database.engine.begin() as connection:
        kinds = connection.execute(text("SELECT key, kind FROM outbox_messages")).all()
        assert [tuple(row) for row in kinds] == [("kept", "follow_ups")]
        assert put(connection, "delete", "slack_file_delete") > deleted
        put(connection, "redact", "slack_message_redact")
    with pytest.raises(Exception, match=r"(?i)check"), empty_database.engine.begin() as connection:
        put(connection, "unknown", "no_such_kind")
    assert set(inspect(empty_database.engine).get_table_names()) >= NEW_TABLES
    indexes = {
        index["name"] for index in inspect(empty_database.engine).get_indexes("outbox_messages")
    }
    assert {"ix_outbox_messages_status", "ix_outbox_messages_request_id"} <= indexes


def test_going_back_removes_the_new_kinds_and_tables(empty_database: Database) -> None:
    upgrade(empty_database.engine)
    with empty_database.engine.begin() as connection:
        put(connection, "kept", "follow_ups")
        put(connection, "delete", "slack_file_delete")

    downgrade(empty_database, "0008")

    with empty_database.engine.begin() as connection:
        keys = connection.execute(text("SELECT key FROM outbox_messages")).scalars().all()
        assert keys == ["kept"]
    with pytest.raises(Exception, match=r"(?i)check"), empty_database.engine.begin() as connection:
        put(connection, "again", "slack_file_delete")
    assert not NEW_TABLES & set(inspect(empty_database.engine).get_table_names())
