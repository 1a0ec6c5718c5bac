"""The heads of the agencies' audit chains, anchored outside the database: each intact
verification of an agency's chain writes its head to the log and appends it to a file beside
the erasure ledger (agency, event id, place in the chain, hash, count, time: no personal data);
a broken chain's head is still written to the log, so that each verification (the nightly one
at least) leaves the head as it found it there. The next verification of the agency's chain
reports the events missing since its last anchor; a line without an agency is agency 1's (the
one chain before there were agencies).

Each anchor also carries the tables' high-water marks, so that a restore from an older backup
never gives an id a second time even when nothing was erased since
(bot.runtime.high_water_marks)."""

import json
import logging
import os
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.runtime.high_water_marks import MARKS_FIELD
from storage import audit
from storage.audit import FIRST_CHAIN, Anchor, ChainReport
from storage.sequences import Marks, high_water_marks

logger = logging.getLogger(__name__)


def last_anchor(path: Path, agency: int = FIRST_CHAIN) -> Anchor | None:
    """The last anchor of `agency`'s chain in the file."""
    if not path.exists():
        return None
    anchor = None
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                anchored, parsed = _parse(line)
            except (ValueError, KeyError, TypeError):
                logger.warning("Skipped line %d of %s: not an anchor", number, path)
                continue
            if anchored == agency:
                anchor = parsed
    return anchor


def _parse(line: str) -> tuple[int, Anchor]:
    fields = json.loads(line)
    seq = fields.get("seq")
    return int(fields.get("agency", FIRST_CHAIN)), Anchor(
        event_id=int(fields["event_id"]),
        hash=str(fields["hash"]),
        count=int(fields["count"]),
        at=datetime.fromisoformat(fields["at"]),
        seq=None if seq is None else int(seq),
    )


def write_anchor(
    path: Path, anchor: Anchor, marks: Marks | None = None, *, agency: int = FIRST_CHAIN
) -> None:
    logger.info(
        "Audit chain anchor: agency %d, event %d, position %d, hash %s, %d events, at %s",
        agency,
        anchor.event_id,
        anchor.position,
        anchor.hash,
        anchor.count,
        anchor.at.isoformat(timespec="seconds"),
    )
    line = json.dumps(
        {
            "agency": agency,
            "event_id": anchor.event_id,
            "seq": anchor.position,
            "hash": anchor.hash,
            "count": anchor.count,
            "at": anchor.at.isoformat(timespec="seconds"),
            MARKS_FIELD: dict(marks or {}),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


def verify_and_anchor(*, session: Session, anchors: Path, actor: str) -> ChainReport:
    """Checks the chain of the agency the session acts for against its last anchor, records the
    check, and anchors the head when all is well. A trail that is not intact is not anchored,
    so the report stands until someone looks into it."""
    agency = audit.chain_agency(session)
    report = audit.verify_chain(session=session, anchor=last_anchor(anchors, agency))
    audit.record(session=session, actor=actor, action="audit.verify")
    if report.intact and report.head is not None:
        write_anchor(anchors, report.head, high_water_marks(session=session), agency=agency)
    elif not report.intact:
        logger.warning(
            "The audit trail of agency %d is not intact: no new anchor written to %s",
            agency,
            anchors,
        )
        log_chain_head(session=session)
    return report


def log_chain_head(*, session: Session) -> None:
    """The newest seal of the agency's chain as it stands, checked or not: a later rewrite of it
    shows in the log."""
    seq, digest = audit.chain_head(session)
    logger.info(
        "Audit chain head: agency %d, position %d, hash %s",
        audit.chain_agency(session),
        seq,
        digest,
    )
