"""`request-deadlines` through the job runner: controllers' direct messages, the channel's
counts, once per day, and a message Slack cannot take delivered later by the outbox."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.jobs.runner import run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage.db import Database
from storage.models import DataSubjectRequest, JobRun, OutboxMessage, Person
from storage.models.enums import OutboxStatus, RequestChannel, RequestKind, RequestStatus, Role
from storage.requests import RequestFiling, file_request
from tests.bot.helpers.jobs import job_settings
from tests.doubles.slack_web_api import SlackWebApiDouble, _Fault
from tests.people import add_person, add_staff

HELSINKI = ZoneInfo("Europe/Helsinki")
MORNING = datetime(2026, 11, 27, 7, 30, tzinfo=HELSINKI)
TODAY = MORNING.date()
CHANNEL = "CREMIND01"


class SlackUnreachableFor(SlackWebApiDouble):
    """Drops every connection that posts to the channels in `unreachable`."""

    def __init__(self) -> None:
        super().__init__()
        self.unreachable: set[str] = set()

    def _take_fault(self, method: str) -> _Fault | None:
        if method == "chat.postMessage" and self.calls[-1].args.get("channel") in self.unreachable:
            return _Fault(None, None, None, 1)
        return super()._take_fault(method)


@pytest.fixture
def slack() -> Iterator[SlackUnreachableFor]:
    with SlackUnreachableFor() as double:
        yield double
        assert double.violations == []


def settings_for(database: Database, slack_api: SlackWebApiDouble) -> Settings:
    return job_settings(database, slack_api, reminder_channel_id=CHANNEL)


def run(database: Database, settings: Settings):  # type: ignore[no-untyped-def]
    client = build_web_client(settings)
    return run_job(
        "request-deadlines", database=database, client=client, settings=settings, now=MORNING
    )


def fill_register(database: Database) -> list[str]:
    """Two controllers, an advisor, and requests overdue, coming due, later and closed; the
    names and e-mail addresses in the register."""
    with database.transaction() as session:
        add_staff(session, "UCTRL1", Role.CONTROLLER, language="en")
        controller = add_staff(session, "UCTRL2", Role.CONTROLLER)
        add_staff(session, "UADV1")
        maija = add_person(session, "Maija", "Mallikas", email="maija.mallikas@example.fi")
        testi = add_person(session, "Testi", "Virtanen", email="testi.virtanen@example.com")
        for person, due_on, status in (
            (maija, date(2026, 11, 20), RequestStatus.RECEIVED),
            (testi, date(2026, 12, 1), RequestStatus.IN_PROGRESS),
            (testi, date(2026, 12, 20), RequestStatus.RECEIVED),
            (maija, date(2026, 11, 1), RequestStatus.COMPLETED),
        ):
            filed = file_request(
                session=session,
                actor=controller,
                filing=RequestFiling(
                    kind=RequestKind.ACCESS,
                    channel=RequestChannel.EMAIL,
                    received_on=date(2026, 10, 20),
                    person_id=person.id,
                    details="Lähettäkää kaikki tietoni osoitteeseen Esimerkkikatu 1.",
                ),
                today=TODAY,
            )
            row = session.get(DataSubjectRequest, filed.id)
            assert row is not None
            row.due_on, row.status = due_on, status
        session.add(
            DataSubjectRequest(
                kind=RequestKind.ERASURE,
                channel=RequestChannel.LETTER,
                requester_name="Kirjeen Lähettäjä",
                requester_contact="lahettaja@example.fi",
                received_on=date(2026, 10, 25),
                due_on=date(2026, 11, 25),
                status=RequestStatus.RECEIVED,
            )
        )
        people = session.scalars(select(Person)).all()
        secrets = [p.first_name for p in people] + [p.last_name for p in people]
        secrets += [p.email for p in people if p.email]
        return [*secrets, "Kirjeen", "Lähettäjä", "lahettaja@example.fi", "Esimerkkikatu"]


def test_each_controller_hears_of_the_requests_coming_due_and_the_channel_counts_only(
    database: Database, slack: SlackUnreachableFor
) -> None:
    secrets = fill_register(database)
    settings = settings_for(database, slack)

    outcome = run(database, settings)
    again = run(database, settings)

    assert outcome.ran and not again.ran
    assert outcome.summary == "2 overdue, 1 coming due; 2 controllers told"
    posts = slack.calls_to("chat.postMessage")
    assert [p.args["channel"] for p in posts] == ["UCTRL1", "UCTRL2", CHANNEL]
    english, finnish, channel = (p.args for p in posts)
    assert english["text"] == "Data subject requests: 2 overdue, 1 due within 7 days."
    assert finnish["text"] == "Rekisteröityjen pyynnöt: myöhässä 2, 7 päivän kuluessa erääntyviä 1."
    shown = str(english["blocks"])
    assert "R-T" in shown and "20 Nov 2026" in shown and "1 Dec 2026" in shown
    assert "a requester not in the register" in shown and "20 Dec 2026" not in shown
    assert channel["text"] == "Rekisteröityjen pyynnöt: myöhässä 2, 7 päivän kuluessa erääntyviä 1."
    assert "blocks" not in channel
    for post in posts:
        for secret in secrets:
            assert secret not in str(post.args), (post.args["channel"], secret)


def test_nothing_coming_due_posts_nothing(database: Database, slack: SlackUnreachableFor) -> None:
    with database.transaction() as session:
        add_staff(session, "UCTRL1", Role.CONTROLLER)

    outcome = run(database, settings_for(database, slack))

    assert outcome.ran and outcome.summary == "no request overdue or due within 7 days"
    assert slack.calls_to("chat.postMessage") == []


def test_a_controller_slack_refuses_is_skipped_and_the_others_hear(
    database: Database, slack: SlackUnreachableFor
) -> None:
    fill_register(database)
    slack.inject("chat.postMessage", 200, error="channel_not_found")

    outcome = run(database, settings_for(database, slack))

    assert outcome.ran and outcome.summary.endswith("2 controllers told")
    assert [p.args["channel"] for p in slack.calls_to("chat.postMessage")] == [
        "UCTRL1",
        "UCTRL2",
        CHANNEL,
    ]
    with database.transaction() as session:
        failed = session.execute(
            select(OutboxMessage.recipient, OutboxMessage.last_error).where(
                OutboxMessage.status == OutboxStatus.FAILED
            )
        ).all()
        assert failed == [("UCTRL1", "channel_not_found")]


def test_a_run_slack_cannot_reach_is_done_and_its_messages_follow_by_the_clock(
    database: Database, slack: SlackUnreachableFor
) -> None:
    fill_register(database)
    settings = settings_for(database, slack)
    slack.unreachable = {"UCTRL2"}

    outcome = run(database, settings)

    assert outcome.ran and outcome.period == "2026-11-27"
    with database.transaction() as session:
        (claimed,) = session.scalars(select(JobRun)).all()
        assert (claimed.job, claimed.period) == ("request-deadlines", "2026-11-27")
        assert claimed.finished_at is not None

    slack.unreachable = set()
    delivery = run_job(
        "outbox-delivery",
        database=database,
        client=build_web_client(settings),
        settings=settings,
        now=datetime.now(HELSINKI) + timedelta(hours=1),
    )
    again = run_job(
        "outbox-delivery",
        database=database,
        client=build_web_client(settings),
        settings=settings,
        now=datetime.now(HELSINKI) + timedelta(hours=2),
    )

    assert delivery.summary.startswith("1 delivered") and again.summary.startswith("0 delivered")
    delivered = [
        p.args["channel"] for p in slack.calls_to("chat.postMessage") if p.injected is None
    ]
    assert delivered == ["UCTRL1", CHANNEL, "UCTRL2"]
