"""Revision 0024 makes the tables of slack_sdk's installation and OAuth state stores as the
library defines them, so that its stores work on them; going back removes them."""

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, inspect

from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models.agency import INSTALLATION_TABLES


def libraries_tables() -> MetaData:
    metadata = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states")
    return metadata


def of_the_stores(thing: Any, name: str | None, type_: str, *_: Any) -> bool:
    table = thing if type_ == "table" else getattr(thing, "table", None)
    return getattr(table, "name", None) in INSTALLATION_TABLES


def test_the_tables_are_the_librarys_and_its_stores_work_on_them(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": of_the_stores}
        )
        assert compare_metadata(context, libraries_tables()) == []

    store = SQLAlchemyInstallationStore(client_id="1234.5678", engine=database.engine)
    store.save(
        Installation(
            app_id="A0APP0001",
            team_id="T0AGENCYA",
            user_id="UINSTALLA",
            bot_token="xoxb-made-up",
            bot_id="B0BOT0001",
            bot_user_id="U0BOT0001",
        )
    )
    bot = store.find_bot(enterprise_id=None, team_id="T0AGENCYA")
    assert bot is not None and bot.bot_token == "xoxb-made-up"
    store.delete_all(enterprise_id=None, team_id="T0AGENCYA")
    assert store.find_bot(enterprise_id=None, team_id="T0AGENCYA") is None

    states = SQLAlchemyOAuthStateStore(expiration_seconds=60, engine=database.engine)
    state = states.issue()
    assert states.consume(state) and not states.consume(state)


def test_going_back_removes_the_tables(empty_database: Database) -> None:
    upgrade(empty_database.engine)
    assert set(inspect(empty_database.engine).get_table_names()) >= INSTALLATION_TABLES
    config = alembic_config()
    with empty_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0023")
    assert not INSTALLATION_TABLES & set(inspect(empty_database.engine).get_table_names())
