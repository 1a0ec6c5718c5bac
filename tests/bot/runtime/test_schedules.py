"""Schedules in words, read from the cron trigger the scheduler runs."""

from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.jobs import JOBS
from bot.runtime.scheduler import trigger_for
from bot.runtime.schedules import describe

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"minute": "*"}, "every minute"),
        ({"minute": "*/5"}, "every 5 minutes"),
        ({"minute": 5}, "hourly at :05"),
        ({"minute": "0,30"}, "hourly at :00 and :30"),
        ({"hour": 2, "minute": 30}, "daily at 02:30 Europe/Helsinki"),
        ({"hour": "8,12,16", "minute": 0}, "daily at 08:00, 12:00 and 16:00 Europe/Helsinki"),
        ({"day_of_week": "mon", "hour": 8, "minute": 0}, "Mondays at 08:00 Europe/Helsinki"),
        ({"day_of_week": 0, "hour": 8}, "Mondays at 08:00 Europe/Helsinki"),
        (
            {"day_of_week": "mon-fri,sun", "hour": 7, "minute": 15},
            "Monday to Friday and Sundays at 07:15 Europe/Helsinki",
        ),
        ({"day_of_week": "sat", "minute": "*"}, "every minute on Saturdays (Europe/Helsinki)"),
        # Beyond these words: the trigger's own fields, never a guess.
        ({"day": 1, "hour": 2}, "cron day=1 hour=2 minute=0 (Europe/Helsinki)"),
        ({"hour": "*/2", "minute": 0}, "cron hour=*/2 minute=0 (Europe/Helsinki)"),
    ],
)
def test_a_schedule_reads_as_a_person_says_it(fields: dict[str, object], said: str) -> None:
    assert describe(CronTrigger(timezone=HELSINKI, **fields)) == said  # type: ignore[arg-type]


def test_every_job_s_schedule_is_said_in_words() -> None:
    for job in JOBS.values():
        assert not describe(trigger_for(job, HELSINKI)).startswith("cron"), job.name
