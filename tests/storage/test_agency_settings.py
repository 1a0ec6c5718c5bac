"""An agency's own settings over the deployment's: what it has not set is the deployment's; a
value is checked as the environment's is; setting one is an admin's act, audited."""

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import agency_settings
from storage.agency_settings import AgencySettings, BadSetting
from storage.errors import PermissionDenied
from storage.models import AuditEvent
from storage.models.agency import THE_AGENCY, Agency
from storage.models.enums import Role
from storage.register_description import load_descriptions
from storage.retention import RetentionPolicy
from tests.people import add_staff

DEPLOYMENT = AgencySettings(
    reminder_channel_id="C0DEPLOY",
    timezone="Europe/Helsinki",
    default_language="fi",
    retention_customer_months=36,
    retention_member_months=12,
    retention_stakeholder_months=24,
    request_retention_years=5,
    audit_retention_years=5,
    register_description=load_descriptions(),
)


def in_force(session: Session) -> AgencySettings:
    return agency_settings.effective(session=session, deployment=DEPLOYMENT)


def test_an_agency_that_set_nothing_has_the_deployments_settings(session: Session) -> None:
    assert in_force(session) == DEPLOYMENT


def test_an_agencys_own_values_replace_the_deployments(session: Session) -> None:
    admin = add_staff(session, "UADMIN1", Role.ADMIN)

    agency_settings.set_setting(session=session, actor=admin, name="timezone", value="Asia/Tokyo")
    agency_settings.set_setting(
        session=session, actor=admin, name="retention_member_months", value="6"
    )
    agency_settings.set_setting(
        session=session, actor=admin, name="reminder_channel_id", value=None
    )

    settings = in_force(session)
    assert settings.timezone == "Asia/Tokyo" and str(settings.zone) == "Asia/Tokyo"
    assert settings.retention_policy == RetentionPolicy(36, 6, 24)
    assert settings.reminder_channel_id == "C0DEPLOY"  # None: the deployment's
    assert replace(settings, timezone="Europe/Helsinki", retention_member_months=12) == DEPLOYMENT


def test_an_agencys_own_register_description_is_kept_as_text(session: Session) -> None:
    admin = add_staff(session, "UADMIN1", Role.ADMIN)
    document = load_descriptions().model_dump()
    document["fi"]["controller"]["name"] = "Testin Uusyrityskeskus ry"

    agency_settings.set_setting(
        session=session, actor=admin, name="register_description", value=json.dumps(document)
    )

    assert in_force(session).register_description.fi.controller.name == (
        "Testin Uusyrityskeskus ry"
    )
    with pytest.raises(BadSetting, match="register_description"):
        agency_settings.set_setting(
            session=session, actor=admin, name="register_description", value='{"fi": {}}'
        )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("timezone", "Mars/Olympus"),
        ("reminder_channel_id", "#news"),
        ("default_language", "sv"),
        ("retention_customer_months", "0"),
        ("audit_retention_years", "101"),
        ("colour", "blue"),
    ],
)
def test_a_value_the_rules_refuse_changes_nothing(session: Session, name: str, value: str) -> None:
    admin = add_staff(session, "UADMIN1", Role.ADMIN)

    with pytest.raises(BadSetting, match=name):
        agency_settings.set_setting(session=session, actor=admin, name=name, value=value)

    assert in_force(session) == DEPLOYMENT


def test_only_an_admin_sets_and_each_setting_is_audited(session: Session) -> None:
    controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
    admin = add_staff(session, "UADMIN1", Role.ADMIN)

    with pytest.raises(PermissionDenied):
        agency_settings.set_setting(session=session, actor=controller, name="timezone", value="UTC")
    agency_settings.set_setting(session=session, actor=admin, name="timezone", value="UTC")
    agency_settings.set_setting(session=session, actor=admin, name="timezone", value=None)

    acts = session.execute(
        select(AuditEvent.actor, AuditEvent.action, AuditEvent.target).where(
            AuditEvent.action.like("agency.%")
        )
    )
    assert [tuple(act) for act in acts] == [
        ("UADMIN1", "agency.settings.set", "timezone"),
        ("UADMIN1", "agency.settings.clear", "timezone"),
    ]


def test_the_agencies_at_work_leave_out_the_uninstalled(session: Session) -> None:
    session.add_all(
        [
            Agency(id=2, slack_team_id="T0SECOND", name="Toinen"),
            Agency(id=3, slack_team_id="T0THIRD", name="Kolmas", uninstalled_at=datetime.now(UTC)),
        ]
    )
    session.flush()

    at_work = agency_settings.agencies_at_work(session=session)

    assert [agency.id for agency in at_work] == [THE_AGENCY, 2]
    assert agency_settings.every_agency(session=session) == [THE_AGENCY, 2, 3]
