import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import audit, staff
from storage.errors import LastAdmin, NotFound
from storage.models import AuditEvent
from storage.models.enums import Role
from storage.permissions import Permission
from tests.tampering import lift_audit_guards


def test_admins_from_settings_are_created_once(session: Session) -> None:
    created = staff.ensure_admins(session=session, slack_user_ids=["UADMIN1", "UADMIN2"])
    again = staff.ensure_admins(session=session, slack_user_ids=["UADMIN1"])

    assert [member.slack_user_id for member in created] == ["UADMIN1", "UADMIN2"]
    assert again == []
    admin = staff.find(session=session, slack_user_id="UADMIN1")
    assert admin is not None and admin.role is Role.ADMIN and admin.can(Permission.STAFF_MANAGE)


def test_grant_creates_and_changes_roles_with_an_audit_row(session: Session) -> None:
    (admin,) = staff.ensure_admins(session=session, slack_user_ids=["UADMIN"])
    member = staff.grant(session=session, actor=admin, slack_user_id="UADV", role=Role.ADVISOR)
    assert member.can(Permission.PERSON_SEARCH)
    assert not member.can(Permission.REQUEST_WORK)

    promoted = staff.grant(session=session, actor=admin, slack_user_id="UADV", role=Role.CONTROLLER)
    assert promoted.id == member.id and promoted.can(Permission.REQUEST_WORK)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "UADMIN"))
    assert list(actions) == ["staff.grant.advisor", "staff.grant.controller"]


def test_revoked_staff_can_do_nothing(session: Session) -> None:
    (admin,) = staff.ensure_admins(session=session, slack_user_ids=["UADMIN"])
    staff.grant(session=session, actor=admin, slack_user_id="UADV", role=Role.ADVISOR)

    revoked = staff.revoke(session=session, actor=admin, slack_user_id="UADV")

    assert not revoked.active
    assert not any(revoked.can(permission) for permission in Permission)
    with pytest.raises(NotFound):
        staff.revoke(session=session, actor=admin, slack_user_id="UADV")


def test_the_last_admin_cannot_be_removed_or_demoted(session: Session) -> None:
    (admin,) = staff.ensure_admins(session=session, slack_user_ids=["UADMIN"])
    with pytest.raises(LastAdmin):
        staff.revoke(session=session, actor=admin, slack_user_id="UADMIN")
    with pytest.raises(LastAdmin):
        staff.grant(session=session, actor=admin, slack_user_id="UADMIN", role=Role.ADVISOR)

    staff.grant(session=session, actor=admin, slack_user_id="UOTHER", role=Role.ADMIN)
    assert not staff.revoke(session=session, actor=admin, slack_user_id="UADMIN").active


def test_admins_manage_staff_but_do_not_read_restricted_records() -> None:
    from storage.permissions import role_allows

    assert role_allows(Role.ADMIN, Permission.STAFF_MANAGE)
    assert not role_allows(Role.ADMIN, Permission.PERSON_VIEW_RESTRICTED)
    assert role_allows(Role.CONTROLLER, Permission.PERSON_VIEW_RESTRICTED)
    assert not role_allows(Role.CONTROLLER, Permission.STAFF_MANAGE)
    assert not role_allows(Role.ADVISOR, Permission.AUDIT_VERIFY)


def test_the_admin_alone_ends_the_register() -> None:
    from storage.permissions import role_allows

    assert [role for role in Role if role_allows(role, Permission.REGISTER_END)] == [Role.ADMIN]


def test_grant_and_revoke_name_whose_role_changed(session: Session) -> None:
    (admin,) = staff.ensure_admins(session=session, slack_user_ids=["UADMIN"])
    staff.grant(session=session, actor=admin, slack_user_id="UADV", role=Role.ADVISOR)
    staff.revoke(session=session, actor=admin, slack_user_id="UADV")

    query = select(AuditEvent.action, AuditEvent.target).where(AuditEvent.actor == "UADMIN")
    assert [tuple(row) for row in session.execute(query.order_by(AuditEvent.id))] == [
        ("staff.grant.advisor", "UADV"),
        ("staff.revoke", "UADV"),
    ]


def test_the_target_is_sealed_into_the_chain(session: Session) -> None:
    (admin,) = staff.ensure_admins(session=session, slack_user_ids=["UADMIN"])
    staff.grant(session=session, actor=admin, slack_user_id="UADV", role=Role.ADMIN)
    granted = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert granted is not None
    audit.seal_pending(session=session)
    lift_audit_guards(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == granted.id).values(target="UOTHER"))
    session.expire_all()

    assert audit.verify_chain(session=session).first_broken_id == granted.id


def test_the_last_role_change_of_each_member_comes_from_the_trail(session: Session) -> None:
    (admin,) = staff.ensure_admins(session=session, slack_user_ids=["UADMIN"])
    staff.grant(session=session, actor=admin, slack_user_id="UADV", role=Role.ADVISOR)
    staff.grant(session=session, actor=admin, slack_user_id="UCTRL", role=Role.CONTROLLER)
    staff.revoke(session=session, actor=admin, slack_user_id="UADV")

    changes = staff.last_role_changes(session=session)

    assert {user: (c.actor, c.action) for user, c in changes.items()} == {
        "UADMIN": ("system", "staff.bootstrap_admin"),
        "UADV": ("UADMIN", "staff.revoke"),
        "UCTRL": ("UADMIN", "staff.grant.controller"),
    }
    assert changes["UADV"].revoked and changes["UADMIN"].from_settings
