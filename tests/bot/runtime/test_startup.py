"""Start-up: migrations run as the owner of the tables, the bot as a role of its own."""

import logging
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.runtime.settings import Settings
from bot.runtime.startup import (
    StartupError,
    bot_role_problem,
    check_bot_role,
    check_chain_key,
    upgrade_database,
    warn_without_owner,
)
from storage import audit
from storage.db import Database
from tests.databases import APP_ROLE, as_role, login_role


def test_db_upgrade_migrates_as_the_owner(tmp_path: Path) -> None:
    owner_url = f"sqlite:///{tmp_path / 'owner.db'}"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        database_owner_url=owner_url,
    )

    upgrade_database(settings)

    owner = Database(owner_url)
    assert "audit_events" in inspect(owner.engine).get_table_names()
    owner.dispose()
    assert not (tmp_path / "bot.db").exists()


def test_one_role_for_both_is_warned_about_naming_the_setting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    url = "postgresql+psycopg://register@db.example.org/register"

    warn_without_owner(Settings(_env_file=None, database_url=url))  # type: ignore[call-arg]
    assert "DATABASE_OWNER_URL is not set" in caplog.text
    caplog.clear()
    warn_without_owner(
        Settings(
            _env_file=None, database_url=url, database_owner_url=url.replace("register@", "owner@")
        )  # type: ignore[call-arg]
    )
    assert caplog.text == ""


def test_a_bot_role_that_passes_the_wall_between_agencies_is_warned_about(
    backend: str, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    check_bot_role(database, many_workspaces=False)  # the tests' own role: a superuser
    if backend == "sqlite":
        assert caplog.text == ""
        check_bot_role(database, many_workspaces=True)
        return
    [warning] = caplog.records
    assert warning.message.startswith(
        "DATABASE_URL's role is a superuser, bypasses row-level security (BYPASSRLS) and owns "
        "tables, so row-level security does not hold it"
    )
    assert "DATABASE_OWNER_URL" in warning.message
    assert "\n" not in warning.message
    with pytest.raises(StartupError, match="row-level security does not hold it"):
        check_bot_role(Database(database.url), many_workspaces=True)
    with login_role(member_of=APP_ROLE) as role:
        bot = Database(as_role(database.url, role))
        try:
            assert bot_role_problem(bot) is None
        finally:
            bot.dispose()


def test_another_key_than_the_one_that_sealed_the_trail_is_logged_as_an_error(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with database.transaction() as session:
        audit.record(session=session, actor="U1", action="person.view", person_id=1)
    with database.transaction() as session:
        audit.seal_pending(session=session)
    other = Database(database.url, audit_chain_key=b"another made-up key, not the trail's one")
    caplog.set_level(logging.ERROR)

    check_chain_key(database)
    assert caplog.text == ""
    check_chain_key(other)
    assert "newest events of agency 1 were sealed with another key" in caplog.text

    with other.transaction() as session:
        audit.record(session=session, actor="U1", action="person.view", person_id=2)
    with other.transaction() as session:
        audit.seal_pending(session=session)  # a sealer with the other key
    with database.transaction() as session:
        report = audit.verify_chain(session=session)
    other.dispose()
    assert not report.intact and report.foreign_epochs == 1 and report.unverifiable == 1
