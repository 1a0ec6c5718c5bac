"""The agencies of the workspaces the bot is installed in: made, found, uninstalled, and made
active again, with their installer as first admin."""

from datetime import UTC, datetime

from sqlalchemy import select

from storage import agencies
from storage.db import Database
from storage.models import Staff
from storage.models.enums import Role


def test_an_installation_makes_an_agency_and_a_reinstall_makes_it_active_again(
    database: Database,
) -> None:
    with database.transaction(agency=None) as session:
        agency = agencies.install(session=session, team_id="T0AGENCYA", name="Agency A")
        assert agency != agencies.THE_AGENCY
        assert agencies.agency_for_team(session=session, team_id="T0AGENCYA") == agency
        assert agencies.agency_for_team(session=session, team_id="T0AGENCYB") is None
        workspace = agencies.workspace_of(session=session, agency=agency)
        assert workspace == agencies.Workspace(team_id="T0AGENCYA", enterprise_id=None)
        assert agencies.workspace_of(session=session, agency=agencies.THE_AGENCY) is None

        now = datetime(2026, 12, 1, tzinfo=UTC)
        assert agencies.uninstall(session=session, team_id="T0AGENCYA", now=now) == agency
        assert agencies.agency_for_team(session=session, team_id="T0AGENCYA") is None
        assert agencies.uninstall(session=session, team_id="T0NOWHERE") is None

        assert agencies.install(session=session, team_id="T0AGENCYA") == agency
        assert agencies.agency_for_team(session=session, team_id="T0AGENCYA") == agency


def test_the_installer_becomes_the_first_admin_of_that_agency_alone(database: Database) -> None:
    with database.transaction(agency=None) as session:
        agency = agencies.install(session=session, team_id="T0AGENCYA")
    with database.transaction(agency=agency) as session:
        assert agencies.make_first_admin(session=session, slack_user_id="UINSTALLA")
        assert not agencies.make_first_admin(session=session, slack_user_id="UINSTALLA")
    with database.reading(agency=agency) as session:
        staff = session.execute(select(Staff.slack_user_id, Staff.role)).all()
    assert [tuple(row) for row in staff] == [("UINSTALLA", Role.ADMIN)]
    with database.reading() as session:
        assert session.scalars(select(Staff.slack_user_id)).all() == []
