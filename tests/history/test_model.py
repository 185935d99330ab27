"""Domain values refuse what would be a bug to store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from si_timer.history.model import (
    Outcome,
    SegmentKind,
    SegmentRecord,
    Side,
    check_pain,
)

END = datetime(2025, 3, 14, 6, 0, 30, tzinfo=UTC)


def record(**changes: object) -> SegmentRecord:
    values: dict[str, object] = {
        "index": 0,
        "kind": "hold",
        "exercise": "figure-4",
        "side": "left",
        "set": 1,
        "rep": 1,
        "planned_seconds": 15.0,
        "actual_seconds": 15.2,
        "outcome": "done",
        "ended_at": END,
    }
    values.update(changes)
    return SegmentRecord(**values)  # type: ignore[arg-type]


def test_plain_strings_become_enums() -> None:
    r = record()
    assert (r.kind, r.side, r.outcome) == (SegmentKind.HOLD, Side.LEFT, Outcome.DONE)
    assert r.is_work
    assert not record(kind="rest").is_work


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"index": -1}, "index"),
        ({"actual_seconds": -0.1}, "actual_seconds"),
        ({"planned_seconds": -5}, "planned_seconds"),
        ({"ended_at": datetime(2025, 3, 14, 6)}, "timezone-aware"),
        ({"kind": "nap"}, "nap"),
        ({"outcome": "maybe"}, "maybe"),
        ({"side": "middle"}, "middle"),
    ],
)
def test_bad_segments_fail_loudly(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        record(**changes)


def test_pain_checks() -> None:
    assert check_pain(None, "p") is None
    assert check_pain(0, "p") == 0
    assert check_pain(10, "p") == 10
    with pytest.raises(TypeError):
        check_pain(True, "p")  # bool is an int, but not a rating
    with pytest.raises(ValueError, match="between 0 and 10"):
        check_pain(11, "p")


def test_a_record_of_checked_values_equals_one_checked_again() -> None:
    values = (3, SegmentKind.HOLD, "wall-sit", Side.LEFT, 1, 2, 30.0, 29.5, Outcome.DONE, END)
    fast = SegmentRecord.checked(*values)
    assert fast == SegmentRecord(*values)
    assert hash(fast) == hash(SegmentRecord(*values))
    assert fast.is_work
    with pytest.raises(AttributeError):
        fast.index = 4  # type: ignore[misc]
