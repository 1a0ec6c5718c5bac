"""The agencies of a deployment that serves many workspaces: one for each workspace the bot is
installed in, found by the workspace's Slack team id before a request knows for whom it acts.

An agency's register stays when its workspace removes the bot (`uninstall`): only its admin's
export or erasure removes it. Installing again makes the same agency active again.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import staff
from storage.models import THE_AGENCY, Agency
from storage.tenancy import agency_of

__all__ = [
    "THE_AGENCY",
    "AgencyState",
    "Workspace",
    "agency_for_team",
    "every_agency",
    "install",
    "name_of",
    "uninstall",
    "workspace_of",
]


@dataclass(frozen=True)
class Workspace:
    """The Slack workspace an agency installed the bot in."""

    team_id: str
    enterprise_id: str | None


def install(
    *, session: Session, team_id: str, enterprise_id: str | None = None, name: str = ""
) -> int:
    """The agency of the workspace `team_id`, made, or made active again; its id."""
    agency = session.scalar(select(Agency).where(Agency.slack_team_id == team_id))
    if agency is None:
        agency = Agency(slack_team_id=team_id)
        try:
            # Two first requests of an org-wide installation's workspace may race here.
            with session.begin_nested():
                session.add(agency)
        except IntegrityError:
            agency = session.scalars(select(Agency).where(Agency.slack_team_id == team_id)).one()
    agency.slack_enterprise_id = enterprise_id
    agency.name = name[:200]
    agency.uninstalled_at = None
    session.flush()
    return agency.id


def make_first_admin(*, session: Session, slack_user_id: str) -> bool:
    """The installing user becomes an admin of the agency `session` acts for, unless a decision
    about them stands already; whether they became one."""
    return bool(staff.ensure_admins(session=session, slack_user_ids=(slack_user_id,)))


def agency_for_team(*, session: Session, team_id: str) -> int | None:
    """The active agency of the workspace `team_id`; None when the bot is not installed there."""
    return session.scalar(
        select(Agency.id).where(Agency.slack_team_id == team_id, Agency.uninstalled_at.is_(None))
    )


def workspace_of(*, session: Session, agency: int) -> Workspace | None:
    """The workspace of an installed agency; None for a single workspace's own."""
    row = session.execute(
        select(Agency.slack_team_id, Agency.slack_enterprise_id).where(Agency.id == agency)
    ).one_or_none()
    if row is None or row.slack_team_id is None:
        return None
    return Workspace(team_id=row.slack_team_id, enterprise_id=row.slack_enterprise_id)


def name_of(*, session: Session) -> str:
    """The name of the agency `session` acts for: its workspace's, or "" when it has none."""
    name = session.scalar(select(Agency.name).where(Agency.id == agency_of(session)))
    return name or ""


def uninstall(*, session: Session, team_id: str, now: datetime | None = None) -> int | None:
    """Marks the agency of `team_id` uninstalled (its register stays); its id, if it had one."""
    agency = session.scalar(select(Agency).where(Agency.slack_team_id == team_id))
    if agency is None:
        return None
    if agency.uninstalled_at is None:
        agency.uninstalled_at = now or datetime.now(UTC)
    session.flush()
    return agency.id


@dataclass(frozen=True)
class AgencyState:
    """An agency as the deployment's operator sees it."""

    id: int
    team_id: str | None  # None: the one workspace of a single-workspace deployment
    name: str
    uninstalled_at: datetime | None
    register_erased_at: datetime | None


def every_agency(*, session: Session) -> list[AgencyState]:
    """Every agency, installed or not, in the order they came."""
    rows = session.execute(
        select(
            Agency.id,
            Agency.slack_team_id,
            Agency.name,
            Agency.uninstalled_at,
            Agency.register_erased_at,
        ).order_by(Agency.id)
    )
    return [AgencyState(*row) for row in rows]
