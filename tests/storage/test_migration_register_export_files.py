"""The revision that lets a file in Slack be an agency's register export: the kind is taken
after it and refused before it; going back removes the records of such files and keeps the
rest."""

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.db import Database
from storage.migrate import alembic_config, upgrade

# The revision before this one, found by its file's name: revisions may be renumbered.
(THIS,) = [
    script
    for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    if (script.path or "").endswith("_register_export_files.py")
]
PREVIOUS = str(THIS.down_revision)

FILE = (
    "INSERT INTO slack_files (slack_file_id, channel_id, kind, uploaded_for, uploaded_at, "
    "keep_until) VALUES (:file, 'DADMIN', :kind, 'UADMIN', '2026-01-03', '2026-01-17')"
)


def kinds(database: Database) -> list[str]:
    with database.engine.begin() as connection:
        return list(connection.execute(text("SELECT kind FROM slack_files ORDER BY id")).scalars())


def test_the_export_kind_is_taken_after_the_revision_and_refused_before_and_after_it(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, PREVIOUS)
    with empty_database.engine.begin() as connection:
        connection.execute(text(FILE), {"file": "F1", "kind": "report"})
    with pytest.raises(Exception, match=r"(?i)check"), empty_database.engine.begin() as connection:
        connection.execute(text(FILE), {"file": "F2", "kind": "register_export"})

    upgrade(empty_database.engine)

    with empty_database.engine.begin() as connection:
        connection.execute(text(FILE), {"file": "F2", "kind": "register_export"})
    assert kinds(empty_database) == ["report", "register_export"]

    config = alembic_config()
    with empty_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, PREVIOUS)

    assert kinds(empty_database) == ["report"]
    with pytest.raises(Exception, match=r"(?i)check"), empty_database.engine.begin() as connection:
        connection.execute(text(FILE), {"file": "F3", "kind": "register_export"})
    upgrade(empty_database.engine)
