"""Two agencies in one database, for tests of the wall between them: the agency every session
acts for by default (THE_AGENCY) and another, made with add_agency (the fixture
`other_agency` of tests/conftest.py makes one in the test's `database`)."""

from sqlalchemy.orm import Session

from storage.models import Agency


def add_agency(session: Session, slack_team_id: str = "T0OTHER", name: str = "Toinen") -> int:
    """A made-up agency of its own workspace; its id."""
    agency = Agency(slack_team_id=slack_team_id, name=f"{name} yrityskeskus")
    session.add(agency)
    session.flush()
    return agency.id
