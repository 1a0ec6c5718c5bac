"""What the outbox renders speaks for the agency it is delivered for: the agency's own
language and retention periods over the deployment's, on both databases."""

from datetime import UTC, date, datetime
from typing import Any

from bot.outbox import reminders
from bot.outbox.rendered import Post, Scene
from bot.runtime.settings import Settings
from storage.db import Database
from storage.enums import OutboxKind, RelationshipKind
from storage.models import Agency
from storage.outbox import Claimed
from tests.people import add_person

DAY = date(2026, 3, 16)
# Ended on 2025-01-01: past a 6-month member retention on DAY, within a 36-month one.
ENDED = date(2025, 1, 1)


def _review() -> Claimed:
    return Claimed(
        id=1,
        kind=OutboxKind.RETENTION_REVIEW,
        recipient="C0REMIND",
        request_id=None,
        params={"on": DAY.isoformat()},
        attempts=0,
        token="t",
    )


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_a_retention_review_counts_by_the_agencys_months_in_its_language(
    database: Database, other_agency: int
) -> None:
    for agency in (None, other_agency):
        with database.transaction(**({} if agency is None else {"agency": agency})) as session:
            add_person(
                session,
                relationships=((RelationshipKind.MEMBER, ENDED),),
                last_activity_at=datetime(2025, 1, 1, tzinfo=UTC),
            )
    with database.transaction() as session:
        other = session.get(Agency, other_agency)
        assert other is not None
        other.retention_member_months = 6
        other.default_language = "en"
    settings = _settings(retention_member_months=36, default_language="fi")

    with database.reading() as session:
        ours = reminders.retention_review(Scene(session, settings), _review())
    with database.reading(agency=other_agency) as session:
        theirs = reminders.retention_review(Scene(session, settings), _review())

    assert not isinstance(ours, Post)  # within the deployment's 36 months: nothing due
    assert isinstance(theirs, Post)
    assert theirs.text.startswith("1 record has outlived its retention period")
