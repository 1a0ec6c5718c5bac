"""The anchors file holds every agency's heads, each line under its agency; a line from before
there were agencies is agency 1's."""

import json
from pathlib import Path

from bot.runtime.audit_anchors import last_anchor, write_anchor
from storage.audit import Anchor
from storage.models.base import utcnow


def test_each_agencys_last_anchor_is_its_own(tmp_path: Path) -> None:
    path = tmp_path / "audit-anchors.jsonl"
    before_agencies = {"event_id": 5, "hash": "a" * 64, "count": 5, "at": "2026-11-30T02:30:00"}
    path.write_text(json.dumps(before_agencies) + "\n")
    write_anchor(path, Anchor(event_id=7, hash="b" * 64, count=1, at=utcnow(), seq=1), agency=2)

    first = last_anchor(path)
    second = last_anchor(path, 2)

    assert first is not None and (first.event_id, first.position) == (5, 5)
    assert second is not None and (second.event_id, second.position, second.count) == (7, 1, 1)
    assert last_anchor(path, 3) is None
