"""Two agencies at work in one database, each with its own time zone, reminder channel,
retention months and records, for the tests of jobs run per agency."""

from datetime import UTC, date, datetime

from storage.db import Database
from storage.models import DataSubjectRequest
from storage.models.agency import THE_AGENCY, Agency
from storage.models.enums import RequestChannel, RequestKind, RequestStatus, Role
from tests.people import add_person, add_staff

OTHER = 2
FIRST_CHANNEL, OTHER_CHANNEL = "C0FIRST", "C0OTHER"
# Monday 05:00 in Helsinki; still Sunday 22:00 in New York, the other agency's zone.
MONDAY_EARLY = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
TWO_YEARS_AGO = datetime(2024, 11, 1, 12, tzinfo=UTC)
FOUR_YEARS_AGO = datetime(2022, 11, 1, 12, tzinfo=UTC)


def two_agencies(database: Database) -> None:
    """The first agency keeps customers 36 months (the deployment's); the other, in New York
    with a channel of its own, 12."""
    with database.transaction() as session:
        first = session.get(Agency, THE_AGENCY)
        assert first is not None
        first.reminder_channel_id = FIRST_CHANNEL
        session.add(
            Agency(
                id=OTHER,
                slack_team_id="T0OTHER",
                name="Toinen keskus",
                timezone="America/New_York",
                reminder_channel_id=OTHER_CHANNEL,
                retention_customer_months=12,
            )
        )


def fill_registers(database: Database) -> None:
    """The first agency: one customer due (four years quiet), one not (two years) and a request
    coming due; the other: two customers due (two years quiet, past its 12 months) and two
    requests overdue."""
    with database.transaction() as session:
        controller = add_staff(session, "UCTRL1", Role.CONTROLLER)
        add_person(session, "Testi", "Ensimmäinen", last_activity_at=FOUR_YEARS_AGO)
        add_person(session, "Testi", "Toinen", last_activity_at=TWO_YEARS_AGO)
        add_request(session, controller.id, due_on=date(2026, 12, 2))
    with database.transaction(agency=OTHER) as session:
        controller = add_staff(session, "UCTRL2", Role.CONTROLLER)
        add_person(session, "Maija", "Mallikas", last_activity_at=TWO_YEARS_AGO)
        add_person(session, "Matti", "Meikäläinen", last_activity_at=TWO_YEARS_AGO)
        add_request(session, controller.id, due_on=date(2026, 11, 20))
        add_request(session, controller.id, due_on=date(2026, 11, 25))


def add_request(session, filed_by_id: int, *, due_on: date) -> None:  # type: ignore[no-untyped-def]
    session.add(
        DataSubjectRequest(
            kind=RequestKind.ACCESS,
            channel=RequestChannel.EMAIL,
            received_on=due_on.replace(day=1),
            due_on=due_on,
            status=RequestStatus.RECEIVED,
            filed_by_id=filed_by_id,
        )
    )
