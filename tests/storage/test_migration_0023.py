"""Revision 0023 gives each agency nullable columns of its own settings; the agency of a
single-workspace deployment has none set, and going back removes them."""

from alembic import command
from sqlalchemy import inspect, text

from storage.db import Database
from storage.migrate import alembic_config, upgrade

SETTINGS = {
    "reminder_channel_id",
    "timezone",
    "default_language",
    "retention_customer_months",
    "retention_member_months",
    "retention_stakeholder_months",
    "request_retention_years",
    "audit_retention_years",
    "register_description",
}


def columns(database: Database) -> set[str]:
    return {column["name"] for column in inspect(database.engine).get_columns("agencies")}


def test_the_settings_columns_come_empty_and_go_back(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0022")
    assert not SETTINGS & columns(empty_database)

    upgrade(empty_database.engine, "0023")
    assert columns(empty_database) >= SETTINGS
    with empty_database.engine.connect() as connection:
        row = connection.execute(text("SELECT * FROM agencies")).mappings().one()
    assert {name: row[name] for name in SETTINGS} == dict.fromkeys(SETTINGS)

    config = alembic_config()
    with empty_database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0022")
    assert not SETTINGS & columns(empty_database)
