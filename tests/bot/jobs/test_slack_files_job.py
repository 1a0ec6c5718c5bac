"""`slack-files`: the files whose time in Slack is up are deleted from Slack, the young ones
stay; a file Slack already lost is marked deleted, not failed; a second run in the same period
does nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.jobs.runner import JobOutcome, run_job
from bot.runtime.settings import Settings
from bot.runtime.slack_client import build_web_client
from storage import slack_copies
from storage.db import Database
from storage.models import OutboxMessage, SlackFile, SlackFilePerson
from storage.models.enums import OutboxKind, OutboxStatus, SlackFileKind
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.people import add_person

HELSINKI = ZoneInfo("Europe/Helsinki")
NIGHT = datetime(2026, 11, 27, 2, 45, tzinfo=HELSINKI)
CONTROLLER = "UCONTROL1"


def run(database: Database, settings: Settings, now: datetime) -> JobOutcome:
    client = build_web_client(settings)
    return run_job("slack-files", database=database, client=client, settings=settings, now=now)


def uploaded(settings: Settings, name: str) -> str:
    """A file really in the double's Slack, as the bot uploads one."""
    answer = build_web_client(settings).files_upload_v2(
        channel="DCONTROL1", content=b"first_name;last_name\n", filename=name, title=name
    )
    return str(answer["files"][0]["id"])


def record(database: Database, slack_file_id: str, keep_until: datetime) -> int:
    with database.transaction() as session:
        person = add_person(session, "Testi", "Kopio")
        (file_id,) = slack_copies.record_files(
            session=session,
            slack_file_ids=[slack_file_id],
            channel_id="DCONTROL1",
            kind=SlackFileKind.SURVEY_LIST,
            uploaded_for=CONTROLLER,
            keep_until=keep_until,
            person_ids=[person.id],
        )
        return file_id


def deleted_at(database: Database) -> dict[int, datetime | None]:
    with database.reading() as session:
        return {file.id: file.deleted_at for file in session.scalars(select(SlackFile))}


def deleted_in_slack(slack_api: SlackWebApiDouble) -> list[str]:
    return [call.args["file"] for call in slack_api.calls_to("files.delete")]


def test_expired_files_are_deleted_and_young_ones_stay(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    old_file, young_file = uploaded(settings, "old.csv"), uploaded(settings, "young.csv")
    old = record(database, old_file, NIGHT - timedelta(hours=1))
    young = record(database, young_file, NIGHT + timedelta(days=3))

    outcome = run(database, settings, NIGHT)

    assert outcome.ran and outcome.summary == "1 files to delete from Slack"
    assert deleted_in_slack(slack_api) == [old_file]
    assert set(slack_api.files) == {young_file}
    marked = deleted_at(database)
    assert marked[old] is not None and marked[young] is None
    with database.reading() as session:
        linked = session.scalars(select(SlackFilePerson.file_id)).all()
    assert linked == [young]

    run(database, settings, NIGHT + timedelta(days=3, minutes=1))
    assert deleted_in_slack(slack_api) == [old_file, young_file]
    assert slack_api.violations == []


def test_a_second_run_in_the_same_period_does_nothing(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    record(database, uploaded(settings, "old.csv"), NIGHT - timedelta(days=1))
    assert run(database, settings, NIGHT).ran
    later = record(database, uploaded(settings, "later.csv"), NIGHT - timedelta(hours=1))

    again = run(database, settings, NIGHT + timedelta(hours=2))

    assert not again.ran and again.summary == "already ran for 2026-11-27"
    assert len(deleted_in_slack(slack_api)) == 1
    assert deleted_at(database)[later] is None


def test_a_file_slack_already_lost_is_marked_deleted_not_failed(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    lost_file = uploaded(settings, "lost.csv")
    slack_api.lose_file(lost_file)
    lost = record(database, lost_file, NIGHT - timedelta(days=1))
    never = record(database, "F0NEVERSEEN", NIGHT - timedelta(days=1))

    run(database, settings, NIGHT)

    answers = [call.response for call in slack_api.calls_to("files.delete")]
    assert answers == [{"ok": False, "error": "file_not_found"}] * 2
    marked = deleted_at(database)
    assert marked[lost] is not None and marked[never] is not None
    with database.reading() as session:
        statuses = session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.kind == OutboxKind.SLACK_FILE_DELETE)
        ).all()
    assert statuses == [OutboxStatus.DELIVERED] * 2
    assert slack_api.violations == []


def test_a_file_slack_cannot_delete_now_is_tried_again(
    database: Database, settings: Settings, slack_api: SlackWebApiDouble
) -> None:
    record(database, uploaded(settings, "old.csv"), NIGHT - timedelta(days=1))
    slack_api.inject("files.delete", 503)

    run(database, settings, NIGHT)

    with database.reading() as session:
        (message,) = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.SLACK_FILE_DELETE)
        ).all()
        assert message.status is OutboxStatus.PENDING and message.attempts == 1
    assert all(value is None for value in deleted_at(database).values())
