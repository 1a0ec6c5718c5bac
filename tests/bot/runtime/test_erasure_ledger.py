"""The erasure ledger file: lines appended once, durably, readable after a write cut short."""

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

from bot.runtime.erasure_ledger import LINES_PER_WRITE, append_missing, line_of, read_ledger
from bot.runtime.high_water_marks import recorded_marks
from storage.erasure import ErasureRecord

RECORD = ErasureRecord(
    person_id=7,
    person_key=uuid.UUID("0a7c1f8e-5d1b-4b8e-9a9d-2f4b8f1e6c3a"),
    person_reference="R-T0007",
    erased_at=datetime(2026, 11, 27, 10, 30, tzinfo=UTC),
)
BEFORE_KEYS = ErasureRecord(
    person_id=3,
    person_key=None,
    person_reference="R-T0003",
    erased_at=datetime(2026, 1, 2, tzinfo=UTC),
)


def test_a_record_is_appended_once_with_marks_that_cover_its_id(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger" / "erasure-ledger.jsonl"

    assert append_missing(ledger, [RECORD, BEFORE_KEYS], {"persons": 5, "meetings": 40}) == 2
    assert append_missing(ledger, [RECORD, BEFORE_KEYS], {"persons": 9}) == 0

    assert read_ledger(ledger) == [RECORD, BEFORE_KEYS]
    first = json.loads(ledger.read_text().splitlines()[0])
    assert first["high_water_marks"] == {"persons": 7, "meetings": 40}
    assert recorded_marks(ledger.parent) == {"persons": 7, "meetings": 40}


def test_a_line_cut_short_is_skipped_and_the_next_append_starts_a_line_of_its_own(
    tmp_path: Path,
) -> None:
    ledger = tmp_path / "erasure-ledger.jsonl"
    ledger.write_text(line_of(BEFORE_KEYS, {}) + line_of(RECORD, {})[:30])

    assert read_ledger(ledger) == [BEFORE_KEYS]
    assert append_missing(ledger, [RECORD], {}) == 1
    assert read_ledger(ledger) == [BEFORE_KEYS, RECORD]


def test_marks_come_from_every_json_lines_file_beside_the_ledger(tmp_path: Path) -> None:
    (tmp_path / "erasure-ledger.jsonl").write_text(line_of(RECORD, {"persons": 7}))
    anchors = {"head": "abc", "high_water_marks": {"audit_events": 120, "persons": 9}}
    (tmp_path / "audit-anchors.jsonl").write_text(json.dumps(anchors) + "\nnot json\n")
    (tmp_path / "notes.txt").write_text(json.dumps({"high_water_marks": {"persons": 999}}))

    assert recorded_marks(tmp_path) == {"persons": 9, "audit_events": 120}


def test_a_whole_registers_erasures_are_appended_in_batches_each_once(tmp_path: Path) -> None:
    ledger = tmp_path / "erasure-ledger.jsonl"
    many = [
        ErasureRecord(
            person_id=n,
            person_key=uuid.uuid4(),
            person_reference=f"R-T{n:05d}",
            erased_at=datetime(2026, 12, 1, tzinfo=UTC),
        )
        for n in range(1, 2 * LINES_PER_WRITE + 2)
    ]

    assert append_missing(ledger, [RECORD], {}) == 1
    assert append_missing(ledger, [RECORD, *many], {}) == len(many)
    assert append_missing(ledger, many, {}) == 0

    assert read_ledger(ledger) == [RECORD, *many]
    assert len(ledger.read_text().splitlines()) == len(many) + 1
