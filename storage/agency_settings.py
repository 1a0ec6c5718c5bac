"""Each agency's own settings: the reminder channel, time zone, default language, retention
periods and register description that a deployment serving one workspace takes from its
environment. A value an agency has not set is the deployment's: the effective settings are the
agency's own values over the deployment's."""

from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound, PermissionDenied
from storage.models.agency import THE_AGENCY, Agency
from storage.models.base import table_of
from storage.permissions import Permission
from storage.register_description import (
    DescriptionError,
    Descriptions,
    PeriodsInForce,
    descriptions_from_text,
)
from storage.retention import RetentionPolicy
from storage.staff import StaffMember
from storage.tenancy import agency_of

CHANNEL_ID_PATTERN = r"^[CG][A-Z0-9]{2,}$"
__all__ = ["THE_AGENCY", "AgencyAtWork", "AgencySettings", "OwnSettings"]


@dataclass(frozen=True)
class AgencySettings:
    """An agency's settings in force."""

    reminder_channel_id: str | None
    timezone: str
    default_language: str
    retention_customer_months: int
    retention_member_months: int
    retention_stakeholder_months: int
    request_retention_years: int
    audit_retention_years: int
    register_description: Descriptions

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def retention_policy(self) -> RetentionPolicy:
        return RetentionPolicy(
            customer_months=self.retention_customer_months,
            member_months=self.retention_member_months,
            stakeholder_months=self.retention_stakeholder_months,
        )

    def periods_in_force(self, *, slack_file_days: int) -> PeriodsInForce:
        return PeriodsInForce(
            policy=self.retention_policy,
            request_years=self.request_retention_years,
            audit_years=self.audit_retention_years,
            slack_file_days=slack_file_days,
        )


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


def _description(value: str) -> str:
    try:
        descriptions_from_text(value)
    except DescriptionError as error:
        raise ValueError(str(error)) from None
    return value


class OwnSettings(BaseModel):
    """What an agency may set, each value checked as the environment's is; None: the
    deployment's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reminder_channel_id: str | None = Field(default=None, pattern=CHANNEL_ID_PATTERN)
    timezone: Annotated[str, AfterValidator(_known_zone)] | None = None
    default_language: Literal["fi", "en"] | None = None
    retention_customer_months: int | None = Field(default=None, ge=1, le=1200)
    retention_member_months: int | None = Field(default=None, ge=1, le=1200)
    retention_stakeholder_months: int | None = Field(default=None, ge=1, le=1200)
    request_retention_years: int | None = Field(default=None, ge=1, le=100)
    audit_retention_years: int | None = Field(default=None, ge=1, le=100)
    register_description: Annotated[str, AfterValidator(_description)] | None = None


SETTING_NAMES = tuple(OwnSettings.model_fields)


class BadSetting(ValueError):
    """A value an agency may not set: the message names the setting and the rule, not the
    value."""


def _agency(session: Session, agency: int | None) -> Agency:
    agency_id = agency if agency is not None else agency_of(session)
    row = session.get(Agency, agency_id) if agency_id is not None else None
    if row is None:
        raise NotFound("agency")
    return row


# Read on every request: built once, run as a Core statement (no ORM load).
_OWN_SETTINGS = select(*(table_of(Agency).c[name] for name in SETTING_NAMES)).where(
    table_of(Agency).c.id == bindparam("agency")
)


def own_settings(*, session: Session, agency: int | None = None) -> OwnSettings:
    """The values the agency (the session's unless named) set itself, as stored: they were
    checked when they were set."""
    agency_id = agency if agency is not None else agency_of(session)
    row = (
        None
        if agency_id is None
        else session.connection().execute(_OWN_SETTINGS, {"agency": agency_id}).one_or_none()
    )
    if row is None:
        raise NotFound("agency")
    return OwnSettings.model_construct(**row._mapping)


def effective(
    *, session: Session, deployment: AgencySettings, agency: int | None = None
) -> AgencySettings:
    """The agency's settings in force: its own values over the deployment's."""
    return over(deployment, own_settings(session=session, agency=agency))


def over(deployment: AgencySettings, own: OwnSettings) -> AgencySettings:
    values: dict[str, Any] = {
        name: value for name, value in own.model_dump().items() if value is not None
    }
    if own.register_description is not None:
        values["register_description"] = descriptions_from_text(own.register_description)
    return replace(deployment, **values)


def checked(name: str, value: object) -> object:
    """The value as the agency's setting `name` keeps it; BadSetting when the rules refuse it."""
    if name not in SETTING_NAMES:
        raise BadSetting(f"no setting named {name}")
    try:
        return getattr(OwnSettings.model_validate({name: value}), name)
    except ValidationError as error:
        problem = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise BadSetting(f"{name}: {problem}") from None


def set_setting(*, session: Session, actor: StaffMember, name: str, value: object) -> OwnSettings:
    """Sets one of the session's agency's own values (None: back to the deployment's), an
    admin's act, audited; the agency's values as they now are."""
    if not actor.can(Permission.SETTINGS_MANAGE):
        raise PermissionDenied()
    value = checked(name, value)
    row = _agency(session, None)
    setattr(row, name, value)
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action="agency.settings." + ("clear" if value is None else "set"),
        target=name,
    )
    return own_settings(session=session)


@dataclass(frozen=True)
class AgencyAtWork:
    """An agency whose jobs run: who it is in Slack, for finding its Web API client."""

    id: int
    slack_team_id: str | None
    slack_enterprise_id: str | None


def every_agency(*, session: Session) -> list[int]:
    """Every agency's id, uninstalled or not: its register stays."""
    return list(session.scalars(select(Agency.id).order_by(Agency.id)))


def agencies_at_work(*, session: Session, uninstalled_too: bool = False) -> list[AgencyAtWork]:
    """The agencies whose jobs run: every one not uninstalled (or, `uninstalled_too`, every one
    whose register the database holds), in the order they came."""
    statement = select(Agency.id, Agency.slack_team_id, Agency.slack_enterprise_id)
    if not uninstalled_too:
        statement = statement.where(Agency.uninstalled_at.is_(None))
    rows = session.execute(statement.order_by(Agency.id))
    return [AgencyAtWork(*row) for row in rows]
