"""`erasure-replay`, nightly: erases again every person a backup restore brought back.

After a restore, run it at once: `python -m bot jobs run erasure-replay --force`.
"""

from bot.jobs.job import Job, JobContext, daily
from storage.erasure import replay_erasures


def replay(job: JobContext) -> str:
    erased = replay_erasures(session=job.session)
    if not erased:
        return "no erased person is back"
    return f"erased again: {len(erased)} persons, ids {', '.join(map(str, erased))}"


ERASURE_REPLAY = Job(
    name="erasure-replay",
    description="erases again every erased person that a backup restore brought back",
    run=replay,
    period_of=daily,
    cron={"hour": 2, "minute": 15},
)
