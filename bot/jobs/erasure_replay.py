"""`erasure-replay`, nightly: corrects a database restored from an older backup, from the
erasure ledger, with no operator step.

It raises the id sequences to the marks kept beside the ledger, records every erasure of the
ledger the database lacks, erases again whoever a restore brought back (the same id and key),
and appends to the ledger every erasure the database has and the ledger lacks.
"""

import logging
from dataclasses import dataclass
from gettext import ngettext
from pathlib import Path

from sqlalchemy.orm import Session

from bot.jobs.job import Job, JobContext, daily
from bot.runtime.erasure_ledger import append_missing, read_ledger
from bot.runtime.high_water_marks import highest, marks_in_file, recorded_marks
from storage.erasure import (
    Replayed,
    erasure_records,
    replay_erasures,
    restore_erasure_records,
)
from storage.sequences import Marks, high_water_marks, raise_sequences

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LedgerReplay:
    raised: Marks  # sequences that were behind their marks
    recorded: int  # erasures of the ledger the database lacked
    replayed: Replayed
    appended: int  # erasures of the database the ledger lacked

    @property
    def summary(self) -> str:
        erased = self.replayed.erased
        parts = [
            ngettext("erased again: %d person", "erased again: %d persons", len(erased))
            % len(erased)
            + f", ids {', '.join(map(str, erased))}"
            if erased
            else "no erased person is back"
        ]
        if self.replayed.refused:
            refused = ", ".join(map(str, self.replayed.refused))
            parts.append(f"left alone (the id is another person's now): ids {refused}")
        if self.recorded:
            parts.append(
                ngettext(
                    "%d erasure recorded from the ledger",
                    "%d erasures recorded from the ledger",
                    self.recorded,
                )
                % self.recorded
            )
        if self.appended:
            parts.append(
                ngettext(
                    "%d erasure added to the ledger",
                    "%d erasures added to the ledger",
                    self.appended,
                )
                % self.appended
            )
        if self.raised:
            parts.append(f"id sequences raised: {', '.join(sorted(self.raised))}")
        return "; ".join(parts)


def replay_ledger(session: Session, ledger: Path, *, also: Path | None = None) -> LedgerReplay:
    """One replay from the ledger (and from `also`, e.g. a ledger kept elsewhere)."""
    sources = [ledger] if also is None else [ledger, also]
    marks = recorded_marks(ledger.parent)
    if also is not None:
        marks = highest(marks, marks_in_file(also))
    raised = raise_sequences(session=session, marks=marks)
    records = [record for source in sources for record in read_ledger(source)]
    recorded = restore_erasure_records(session=session, records=records)
    replayed = replay_erasures(session=session)
    appended = append_missing(
        ledger, erasure_records(session=session), high_water_marks(session=session)
    )
    if replayed.erased:
        logger.info("Erasure replay erased ids %s again", replayed.erased)
    return LedgerReplay(raised=raised, recorded=recorded, replayed=replayed, appended=appended)


def replay(job: JobContext) -> str:
    return replay_ledger(job.session, job.settings.erasure_ledger_path).summary


ERASURE_REPLAY = Job(
    name="erasure-replay",
    description="erases again every erased person that a backup restore brought back",
    run=replay,
    period_of=daily,
    cron={"hour": 2, "minute": 15},
    # A restore brings back the persons of an agency that left too.
    uninstalled_too=True,
)
