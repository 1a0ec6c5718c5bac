"""Settings from the environment and `.env`, validated once at start-up."""

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from storage.agency_settings import AgencySettings
from storage.bulk_lookups import BulkLookupLimit
from storage.register_description import (
    DEFAULT_AUDIT_YEARS,
    DEFAULT_REQUEST_YEARS,
    DescriptionError,
    Descriptions,
    PeriodsInForce,
    load_descriptions,
)
from storage.retention import RetentionPolicy
from storage.slack_copies import DEFAULT_KEPT_DAYS

SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///data/register.db"
DEFAULT_ERASURE_LEDGER_PATH = Path("data/erasure-ledger.jsonl")
SLACK_USER_ID_PATTERN = r"^[UW][A-Z0-9]{2,}$"
DATABASE_BACKENDS = ("postgresql", "sqlite")
DATABASE_URL_FORMS = (
    "write it as postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE or sqlite:///PATH/TO/FILE.db"
)

Language = Literal["fi", "en"]
OAUTH_SETTINGS = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    slack_bot_token: str | None = Field(default=None, pattern=r"^xoxb-")
    slack_signing_secret: str | None = Field(default=None, min_length=1)
    slack_app_token: str | None = Field(default=None, pattern=r"^xapp-")
    slack_api_url: str = Field(default=SLACK_API_URL, pattern=r"^https?://")
    # All three set: installable in many workspaces through OAuth, one agency each.
    slack_client_id: str | None = Field(default=None, min_length=1)
    slack_client_secret: SecretStr | None = Field(default=None, min_length=1)
    slack_state_secret: SecretStr | None = Field(default=None, min_length=16)
    database_url: str = DEFAULT_DATABASE_URL
    # The role that owns the tables, for migrations only; unset: DATABASE_URL's, with a warning.
    database_owner_url: str | None = None
    # Every erasure, appended at once; keep it where the database and its backups are not.
    erasure_ledger_path: Path = DEFAULT_ERASURE_LEDGER_PATH
    # Seals the audit trail; unset: a key file beside the erasure ledger, with a warning.
    audit_chain_key: SecretStr | None = Field(default=None, min_length=32)
    port: int = Field(default=3000, ge=1, le=65535)
    # Worker processes of the Procfile's web server (gunicorn), each with its own engine.
    web_concurrency: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1, le=256)
    admin_user_ids: Annotated[tuple[str, ...], NoDecode] = ()
    reminder_channel_id: str | None = Field(default=None, pattern=r"^[CG][A-Z0-9]{2,}$")
    timezone: str = "Europe/Helsinki"
    default_language: Language = "fi"
    # Retention, in months: customers and stakeholders after their last activity, members
    # after the membership ended.
    retention_customer_months: int = Field(default=36, ge=1, le=1200)
    retention_member_months: int = Field(default=12, ge=1, le=1200)
    retention_stakeholder_months: int = Field(default=24, ge=1, le=1200)
    # Closed data-subject requests and audit events are kept this many years, then the nightly
    # `record-retention` job deletes them (the audit trail by whole sealed prefixes).
    request_retention_years: int = Field(default=DEFAULT_REQUEST_YEARS, ge=1, le=100)
    audit_retention_years: int = Field(default=DEFAULT_AUDIT_YEARS, ge=1, le=100)
    # The agency's register description (Art 13-15 information), {"fi": {...}, "en": {...}};
    # unset: the one shipped in storage/register_description.
    register_description_path: Path | None = None
    # Bulk look-ups (ASVS V8.1.4): this many cards opened by one staff member within the window
    # are reported to the controllers, once per window.
    bulk_lookup_threshold: int = Field(default=30, ge=1, le=100_000)
    bulk_lookup_window_minutes: int = Field(default=10, ge=1, le=1440)
    # Days a file the bot uploaded (access package, report, survey list) stays in Slack before
    # the daily job deletes it; an erasure deletes the person's files at once.
    slack_file_retention_days: int = Field(default=DEFAULT_KEPT_DAYS, ge=1, le=3650)
    # The longest a statement (or, on PostgreSQL, a lock wait) may take: requests, and the
    # jobs, which read and write far more rows at a time. 0: no limit.
    database_statement_timeout_ms: int = Field(default=5000, ge=0)
    database_job_statement_timeout_ms: int = Field(default=120_000, ge=0)

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def split_user_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("admin_user_ids")
    @classmethod
    def check_user_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:

        for user_id in value:
            if not re.match(SLACK_USER_ID_PATTERN, user_id):
                raise ValueError(f"{user_id!r} is not a Slack user id (like U012AB3CD)")
        return value

    @field_validator("database_url", "database_owner_url")
    @classmethod
    def check_database_url(cls, value: str | None) -> str | None:
        if value is not None:
            check_database_url(value)
        return value

    @field_validator("slack_api_url")
    @classmethod
    def end_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone")
    @classmethod
    def check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "slack_state_secret",
        "reminder_channel_id",
        "database_owner_url",
        "audit_chain_key",
        "register_description_path",
        mode="before",
    )
    @classmethod
    def empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("register_description_path")
    @classmethod
    def check_register_description(cls, value: Path | None) -> Path | None:
        if value is not None:
            try:
                load_descriptions(value)
            except DescriptionError as error:
                raise ValueError(str(error)) from None
        return value

    @model_validator(mode="after")
    def all_of_oauth_or_none(self) -> "Settings":
        given = dict(zip(OAUTH_SETTINGS, self._oauth_values(), strict=True))
        missing = [name for name, value in given.items() if value is None]
        if 0 < len(missing) < len(OAUTH_SETTINGS):
            raise ValueError(
                f"{', '.join(OAUTH_SETTINGS)} go together: missing {', '.join(missing)} (set all "
                "three to install the bot in many workspaces through OAuth, or none for one)"
            )
        if self.multi_workspace and self.socket_mode:
            raise ValueError(
                "SLACK_APP_TOKEN: Socket Mode serves one workspace; unset it to install the bot "
                "in many workspaces through OAuth over HTTP"
            )
        return self

    def _oauth_values(self) -> tuple[object, ...]:
        return (self.slack_client_id, self.slack_client_secret, self.slack_state_secret)

    @property
    def multi_workspace(self) -> bool:
        """Installed through OAuth in any number of workspaces, each one agency."""
        return self.slack_client_id is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def retention_policy(self) -> RetentionPolicy:
        return self.deployment_defaults.retention_policy

    @property
    def periods_in_force(self) -> PeriodsInForce:
        """The retention periods the access package tells the person, unless an agency set
        its own."""
        return self.deployment_defaults.periods_in_force(
            slack_file_days=self.slack_file_retention_days
        )

    @property
    def register_description(self) -> Descriptions:
        return load_descriptions(self.register_description_path)

    @property
    def deployment_defaults(self) -> AgencySettings:
        """What every agency uses until it sets its own (storage.agency_settings)."""
        return AgencySettings(
            reminder_channel_id=self.reminder_channel_id,
            timezone=self.timezone,
            default_language=self.default_language,
            retention_customer_months=self.retention_customer_months,
            retention_member_months=self.retention_member_months,
            retention_stakeholder_months=self.retention_stakeholder_months,
            request_retention_years=self.request_retention_years,
            audit_retention_years=self.audit_retention_years,
            register_description=self.register_description,
        )

    @property
    def migration_url(self) -> str:
        """Migrations run as the owner of the tables; the bot itself as DATABASE_URL's role."""
        return self.database_owner_url or self.database_url

    @property
    def audit_key_path(self) -> Path:
        """Where the audit trail's key is kept when AUDIT_CHAIN_KEY is not set."""
        return self.erasure_ledger_path.parent / "audit-chain.key"

    @property
    def audit_anchor_path(self) -> Path:
        """Where the audit chain's head is anchored, beside the erasure ledger."""
        return self.erasure_ledger_path.parent / "audit-anchors.jsonl"

    @property
    def bulk_lookup_limit(self) -> BulkLookupLimit:
        return BulkLookupLimit(
            threshold=self.bulk_lookup_threshold,
            window=timedelta(minutes=self.bulk_lookup_window_minutes),
        )

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def missing_for_slack(self) -> list[str]:
        """The variables still needed to serve Slack in the mode these settings choose."""
        missing = []
        if self.multi_workspace:
            return [] if self.slack_signing_secret else ["SLACK_SIGNING_SECRET"]
        if not self.slack_bot_token:
            missing.append("SLACK_BOT_TOKEN")
        if not self.socket_mode and not self.slack_signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        return missing


def check_database_url(url: str) -> None:
    """A URL SQLAlchemy can open on a database the bot runs on, with its driver installed; the
    error names no part of the URL but its scheme, so never its password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"not a database URL: {DATABASE_URL_FORMS}") from None
    scheme = parsed.drivername
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise ValueError(
            f"{scheme}:// is no scheme SQLAlchemy knows: {DATABASE_URL_FORMS}"
        ) from None
    if parsed.get_backend_name() not in DATABASE_BACKENDS:
        raise ValueError(f"{scheme}:// is not a database the bot runs on: {DATABASE_URL_FORMS}")
    try:
        dialect.import_dbapi()
    except ImportError:
        raise ValueError(
            f"{scheme}:// needs a driver not installed: {DATABASE_URL_FORMS}"
        ) from None


class SettingsError(Exception):
    """Start-up stops: one line for each variable that is missing or malformed, naming it."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            variable = "_".join(str(part) for part in problem["loc"][:1]).upper()
            message = problem["msg"].removeprefix("Value error, ")
            # A rule over several settings names them in its message.
            lines.append(f"Invalid setting {variable}: {message}" if variable else message)
        raise SettingsError("\n".join(lines)) from None
