"""Roles grant permissions named `resource:action`."""

from enum import StrEnum

from storage.models.enums import Role


class Permission(StrEnum):
    PERSON_SEARCH = "person:search"
    PERSON_VIEW = "person:view"
    PERSON_VIEW_RESTRICTED = "person:view_restricted"
    PERSON_CREATE = "person:create"
    PERSON_EDIT = "person:edit"
    MEETING_LOG = "meeting:log"
    REQUEST_FILE = "request:file"
    REQUEST_WORK = "request:work"
    RETENTION_DECIDE = "retention:decide"
    AUDIT_VERIFY = "audit:verify"
    HOME_VIEW = "home:view"
    STAFF_VIEW = "staff:view"
    STAFF_MANAGE = "staff:manage"
    HELP_VIEW = "help:view"
    REPORT_VIEW = "report:view"
    SURVEY_EXPORT = "survey:export"
    SETTINGS_MANAGE = "settings:manage"
    REGISTER_END = "register:end"


ADVISOR_PERMISSIONS = frozenset(
    {
        Permission.PERSON_SEARCH,
        Permission.PERSON_VIEW,
        Permission.PERSON_CREATE,
        Permission.PERSON_EDIT,
        Permission.MEETING_LOG,
        Permission.REQUEST_FILE,
        Permission.HOME_VIEW,
        Permission.HELP_VIEW,
    }
)

CONTROLLER_PERMISSIONS = ADVISOR_PERMISSIONS | {
    Permission.PERSON_VIEW_RESTRICTED,
    Permission.REQUEST_WORK,
    Permission.RETENTION_DECIDE,
    Permission.AUDIT_VERIFY,
    Permission.STAFF_VIEW,
    Permission.REPORT_VIEW,
    Permission.SURVEY_EXPORT,
}

# An admin decides who reaches the register; restricted records and the audit trail stay the
# controller's, so managing staff does not widen what an admin can read about people. At the end
# of the agency's service its admin alone exports or erases the whole register.
ADMIN_PERMISSIONS = ADVISOR_PERMISSIONS | {
    Permission.STAFF_VIEW,
    Permission.STAFF_MANAGE,
    Permission.REPORT_VIEW,
    Permission.SETTINGS_MANAGE,
    Permission.REGISTER_END,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADVISOR: ADVISOR_PERMISSIONS,
    Role.CONTROLLER: frozenset(CONTROLLER_PERMISSIONS),
    Role.ADMIN: frozenset(ADMIN_PERMISSIONS),
}


def role_allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
