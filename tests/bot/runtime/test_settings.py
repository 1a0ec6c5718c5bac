import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from bot.runtime.settings import Settings, SettingsError, load_settings
from storage.bulk_lookups import BulkLookupLimit
from storage.retention import RetentionPolicy

SLACK_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "PORT",
    "ADMIN_USER_IDS",
    "REMINDER_CHANNEL_ID",
    "TIMEZONE",
    "DEFAULT_LANGUAGE",
    "RETENTION_CUSTOMER_MONTHS",
    "RETENTION_MEMBER_MONTHS",
    "RETENTION_STAKEHOLDER_MONTHS",
    "DATABASE_OWNER_URL",
    "ERASURE_LEDGER_PATH",
    "AUDIT_CHAIN_KEY",
    "BULK_LOOKUP_THRESHOLD",
    "BULK_LOOKUP_WINDOW_MINUTES",
    "SLACK_FILE_RETENTION_DAYS",
    "REQUEST_RETENTION_YEARS",
    "AUDIT_RETENTION_YEARS",
    "REGISTER_DESCRIPTION_PATH",
    "WEB_CONCURRENCY",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_STATE_SECRET",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for name in SLACK_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_follow_the_design() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///data/register.db"
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.timezone == "Europe/Helsinki"
    assert settings.default_language == "fi"
    assert settings.admin_user_ids == ()
    assert settings.reminder_channel_id is None
    assert settings.missing_for_slack() == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]


def test_values_come_from_the_environment_and_dotenv(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=8080\n")
    monkeypatch.setenv("ADMIN_USER_IDS", "U012AB3CD, W0AB12")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-abc")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")

    settings = load_settings()

    assert settings.slack_bot_token == "xoxb-from-dotenv" and settings.port == 8080
    assert settings.admin_user_ids == ("U012AB3CD", "W0AB12")
    assert settings.socket_mode and settings.missing_for_slack() == []
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_BOT_TOKEN", "xoxp-user-token"),
        ("SLACK_APP_TOKEN", "xoxb-not-an-app-token"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("ADMIN_USER_IDS", "U012AB3CD,maija"),
        ("TIMEZONE", "Europe/Tampere"),
        ("DEFAULT_LANGUAGE", "sv"),
        ("REMINDER_CHANNEL_ID", "#general"),
        ("SLACK_API_URL", "slack.com/api"),
        ("RETENTION_CUSTOMER_MONTHS", "0"),
        ("RETENTION_MEMBER_MONTHS", "-12"),
        ("RETENTION_STAKEHOLDER_MONTHS", "two years"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        load_settings()


def test_each_malformed_value_is_one_line_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://register:made-up-password@127.0.0.1/register")
    monkeypatch.setenv("DATABASE_OWNER_URL", "sqlite+nodriver:///owner.db")
    monkeypatch.setenv("PORT", "eighty")

    with pytest.raises(SettingsError) as stopped:
        load_settings()

    lines = str(stopped.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Invalid setting DATABASE_URL",
        "Invalid setting DATABASE_OWNER_URL",
        "Invalid setting PORT",
    ]
    assert "Value error" not in str(stopped.value)
    assert "made-up-password" not in str(stopped.value)


def test_a_database_url_sqlalchemy_opens_on_postgresql_or_sqlite_is_taken() -> None:
    for url in (
        "sqlite:///data/register.db",
        "sqlite://",
        "postgresql://register@db.example.org/register",
        "postgresql+psycopg://register:secret@db.example.org:5432/register?sslmode=require",
    ):
        assert Settings(_env_file=None, database_url=url).database_url == url  # type: ignore[call-arg]


def test_settings_are_frozen() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="frozen"):
        settings.port = 1  # type: ignore[misc]


def test_the_retention_policy_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().retention_policy == RetentionPolicy(36, 12, 24)
    monkeypatch.setenv("RETENTION_CUSTOMER_MONTHS", "60")
    monkeypatch.setenv("RETENTION_MEMBER_MONTHS", "6")
    assert load_settings().retention_policy == RetentionPolicy(60, 6, 24)


def test_the_erasure_ledger_lies_beside_the_sqlite_file_unless_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ERASURE_LEDGER_PATH", raising=False)
    assert load_settings().erasure_ledger_path == Path("data/erasure-ledger.jsonl")
    monkeypatch.setenv("ERASURE_LEDGER_PATH", "/mnt/ledger/erasures.jsonl")
    assert load_settings().erasure_ledger_path == Path("/mnt/ledger/erasures.jsonl")


def test_the_owner_the_ledger_and_the_key_default_so_that_nothing_need_be_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ERASURE_LEDGER_PATH", raising=False)
    settings = load_settings()
    assert settings.database_owner_url is None
    assert settings.migration_url == "sqlite:///data/register.db"
    assert settings.erasure_ledger_path == Path("data/erasure-ledger.jsonl")
    assert settings.audit_chain_key is None
    assert settings.audit_key_path == Path("data/audit-chain.key")
    assert settings.audit_anchor_path == Path("data/audit-anchors.jsonl")


def test_bulk_lookups_are_reported_past_30_cards_in_10_minutes_unless_set_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().bulk_lookup_limit == BulkLookupLimit(30, timedelta(minutes=10))

    monkeypatch.setenv("BULK_LOOKUP_THRESHOLD", "50")
    monkeypatch.setenv("BULK_LOOKUP_WINDOW_MINUTES", "60")

    assert load_settings().bulk_lookup_limit == BulkLookupLimit(50, timedelta(minutes=60))


def test_a_bulk_lookup_threshold_of_zero_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULK_LOOKUP_THRESHOLD", "0")

    with pytest.raises(SettingsError, match="BULK_LOOKUP_THRESHOLD"):
        load_settings()


def test_statement_timeouts_have_defaults_and_refuse_negatives() -> None:
    settings = load_settings(_env_file=None)
    assert settings.database_statement_timeout_ms == 5000
    assert settings.database_job_statement_timeout_ms == 120_000
    with pytest.raises(SettingsError, match="DATABASE_STATEMENT_TIMEOUT_MS"):
        load_settings(_env_file=None, database_statement_timeout_ms=-1)


def test_the_web_process_forks_a_worker_per_core_unless_set_and_at_least_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().web_concurrency == (os.cpu_count() or 1)

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert load_settings().web_concurrency == 3

    for refused in ("0", "two"):
        monkeypatch.setenv("WEB_CONCURRENCY", refused)
        with pytest.raises(SettingsError, match="WEB_CONCURRENCY"):
            load_settings()


def test_files_stay_in_slack_14_days_unless_set_and_never_less_than_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().slack_file_retention_days == 14

    monkeypatch.setenv("SLACK_FILE_RETENTION_DAYS", "3")
    assert load_settings().slack_file_retention_days == 3

    monkeypatch.setenv("SLACK_FILE_RETENTION_DAYS", "0")
    with pytest.raises(SettingsError, match="SLACK_FILE_RETENTION_DAYS"):
        load_settings()


def test_request_and_audit_retention_have_defaults_and_reach_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = load_settings()
    assert (settings.request_retention_years, settings.audit_retention_years) == (5, 5)
    monkeypatch.setenv("REQUEST_RETENTION_YEARS", "6")
    monkeypatch.setenv("AUDIT_RETENTION_YEARS", "3")
    periods = load_settings(slack_file_retention_days=9).periods_in_force
    assert (periods.request_years, periods.audit_years, periods.slack_file_days) == (6, 3, 9)
    monkeypatch.setenv("AUDIT_RETENTION_YEARS", "0")
    with pytest.raises(SettingsError, match="AUDIT_RETENTION_YEARS"):
        load_settings()


def test_the_shipped_register_description_is_used_unless_a_file_is_named() -> None:
    settings = load_settings()
    assert settings.register_description_path is None
    assert settings.register_description.fi.contact_person.name


def test_a_wrong_register_description_stops_start_up_naming_the_setting_and_the_item(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "description.json"
    path.write_text(json.dumps({"fi": {}, "en": {}}), encoding="utf-8")
    monkeypatch.setenv("REGISTER_DESCRIPTION_PATH", str(path))
    with pytest.raises(SettingsError) as stopped:
        load_settings()
    assert "REGISTER_DESCRIPTION_PATH" in str(stopped.value)
    assert "fi.contact_person: Field required" in str(stopped.value)


OAUTH = {
    "SLACK_CLIENT_ID": "1234.5678",
    "SLACK_CLIENT_SECRET": "made-up-client-secret",
    "SLACK_STATE_SECRET": "made-up-state-secret",
}


def test_one_workspace_is_the_default_and_all_three_oauth_settings_make_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert not load_settings().multi_workspace
    for name, value in OAUTH.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.multi_workspace
    assert settings.missing_for_slack() == ["SLACK_SIGNING_SECRET"]


@pytest.mark.parametrize("left_out", sorted(OAUTH))
def test_some_oauth_settings_without_the_others_stop_start_up_in_one_line_naming_them(
    monkeypatch: pytest.MonkeyPatch, left_out: str
) -> None:
    for name, value in OAUTH.items():
        if name != left_out:
            monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as stopped:
        load_settings()

    (line,) = str(stopped.value).splitlines()
    assert f"missing {left_out}" in line
    assert "made-up" not in line


def test_socket_mode_does_not_go_with_oauth(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in OAUTH.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-made-up")
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        load_settings()
