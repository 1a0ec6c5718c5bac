"""Who may reach the register: staff rows, their roles, and changes to them."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import LastAdmin, NotFound
from storage.models import AuditEvent, Staff
from storage.models.base import table_of
from storage.models.enums import Role
from storage.permissions import Permission, role_allows
from storage.tenancy import its_agency, of_the_agency


@dataclass(frozen=True)
class StaffMember:
    """A staff row as the Slack side sees it, detached from any session."""

    id: int
    slack_user_id: str
    display_name: str
    role: Role
    active: bool
    language: str | None

    def can(self, permission: Permission) -> bool:
        return self.active and role_allows(self.role, permission)

    @classmethod
    def of(cls, staff: Staff) -> "StaffMember":
        return cls(
            id=staff.id,
            slack_user_id=staff.slack_user_id,
            display_name=staff.display_name,
            role=staff.role,
            active=staff.active,
            language=staff.language,
        )


@dataclass(frozen=True)
class RoleChange:
    """The last change to a staff member's role, from the audit trail: who, what, when."""

    actor: str
    action: str
    at: datetime

    @property
    def revoked(self) -> bool:
        return self.action == "staff.revoke"

    @property
    def from_settings(self) -> bool:
        return self.action == "staff.bootstrap_admin"


def last_role_changes(*, session: Session) -> dict[str, RoleChange]:
    """Each staff member's last role change by Slack user id, for those the trail names."""
    rows = session.execute(
        select(AuditEvent.target, AuditEvent.actor, AuditEvent.action, AuditEvent.at)
        .where(AuditEvent.target.is_not(None), AuditEvent.action.startswith("staff."))
        .order_by(AuditEvent.id)
    )
    return {row.target: RoleChange(actor=row.actor, action=row.action, at=row.at) for row in rows}


_STAFF = table_of(Staff).c
# Every request reads its staff member: built once, and read as plain columns.
_BY_SLACK_USER_ID = select(
    _STAFF.id,
    _STAFF.slack_user_id,
    _STAFF.display_name,
    _STAFF.role,
    _STAFF.active,
    _STAFF.language,
).where(_STAFF.slack_user_id == bindparam("slack_user_id"), of_the_agency(_STAFF.agency_id))


def find(*, session: Session, slack_user_id: str) -> StaffMember | None:
    row = (
        session.connection()
        .execute(_BY_SLACK_USER_ID, {"slack_user_id": slack_user_id, **its_agency(session)})
        .one_or_none()
    )
    return StaffMember(**row._mapping) if row else None


def list_all(*, session: Session) -> list[StaffMember]:
    rows = session.scalars(select(Staff).order_by(Staff.active.desc(), Staff.role, Staff.id))
    return [StaffMember.of(staff) for staff in rows]


def ensure_admins(*, session: Session, slack_user_ids: Iterable[str]) -> list[StaffMember]:
    """Creates an admin row for each id that has none; later decisions about a row stand."""
    created = []
    for slack_user_id in slack_user_ids:
        if session.scalar(select(Staff.id).where(Staff.slack_user_id == slack_user_id)):
            continue
        staff = Staff(slack_user_id=slack_user_id, role=Role.ADMIN, active=True)
        try:
            # Web workers start side by side: the one that inserted first records it.
            with session.begin_nested():
                session.add(staff)
        except IntegrityError:
            continue
        audit.record(
            session=session, actor="system", action="staff.bootstrap_admin", target=slack_user_id
        )
        created.append(StaffMember.of(staff))
    return created


def _active_admins(session: Session) -> int:
    query = select(func.count()).where(Staff.role == Role.ADMIN, Staff.active.is_(True))
    return session.scalar(query) or 0


def grant(
    *,
    session: Session,
    actor: StaffMember,
    slack_user_id: str,
    role: Role,
    display_name: str = "",
) -> StaffMember:
    """Gives a Slack user a role, creating or reactivating their staff row."""
    staff = session.scalar(select(Staff).where(Staff.slack_user_id == slack_user_id))
    if staff is None:
        staff = Staff(slack_user_id=slack_user_id, role=role, display_name=display_name)
        session.add(staff)
    else:
        if staff.role == Role.ADMIN and role != Role.ADMIN and _active_admins(session) <= 1:
            raise LastAdmin()
        staff.role = role
        staff.active = True
        if display_name:
            staff.display_name = display_name
    session.flush()
    audit.record(
        session=session,
        actor=actor.slack_user_id,
        action=f"staff.grant.{role.value}",
        target=slack_user_id,
    )
    return StaffMember.of(staff)


def revoke(*, session: Session, actor: StaffMember, slack_user_id: str) -> StaffMember:
    """Takes a staff member's access away; it takes effect on their next request."""
    staff = session.scalar(select(Staff).where(Staff.slack_user_id == slack_user_id))
    if staff is None or not staff.active:
        raise NotFound("staff")
    if staff.role == Role.ADMIN and _active_admins(session) <= 1:
        raise LastAdmin()
    staff.active = False
    session.flush()
    audit.record(
        session=session, actor=actor.slack_user_id, action="staff.revoke", target=slack_user_id
    )
    return StaffMember.of(staff)


def set_language(*, session: Session, slack_user_id: str, language: str) -> None:
    staff = session.scalar(select(Staff).where(Staff.slack_user_id == slack_user_id))
    if staff is None:
        raise NotFound("staff")
    staff.language = language
    session.flush()
