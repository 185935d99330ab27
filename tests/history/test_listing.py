"""`si-timer history`: the documented JSON shape and the terminal table."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from si_timer.history.listing import (
    HISTORY_KEYS,
    format_history_table,
    history_rows,
    parse_day,
)
from si_timer.history.model import Outcome, SegmentKind, SegmentRecord, SessionStatus
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import make_plan

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)


def add(store: HistoryStore, start: datetime, done: int, finish: bool = True) -> str:
    sid = store.begin_session(
        "morning", make_plan("morning"), started_at=start, utc_offset_minutes=60, pain_before=6
    )
    work = [s for s in make_plan("morning")["segments"] if s["kind"] == "hold"][:done]
    for seg in work:
        store.record_segment(
            sid,
            SegmentRecord(
                seg["index"],
                SegmentKind.HOLD,
                seg["exercise"],
                seg["side"],
                1,
                1,
                20,
                21,
                Outcome.DONE,
                start + timedelta(minutes=1),
            ),
        )
    if finish:
        store.finish_session(
            sid, SessionStatus.COMPLETED, ended_at=start + timedelta(minutes=9), pain_after=4
        )
    return sid


def test_rows_have_exactly_the_documented_keys(store: HistoryStore) -> None:
    sid = add(store, START, done=3)
    running = add(store, START + timedelta(days=1), done=1, finish=False)
    rows = history_rows(store.session_summaries())
    assert [tuple(r) for r in rows] == [HISTORY_KEYS, HISTORY_KEYS]
    assert rows[0] == {
        "id": sid,
        "routine": "morning",
        "started_at": "2025-03-14T07:00:00+01:00",
        "ended_at": "2025-03-14T07:09:00+01:00",
        # Finished as "completed", but three holds of one exercise out of five is partial.
        "status": "partial",
        "segments_done": 3,
        "segments_total": 10,
        "exercises_done": 1,
        "exercises_total": 5,
        "reps_done": 3,
        "reps_total": 10,
        "pain_before": 6,
        "pain_after": 4,
    }
    assert rows[1]["id"] == running
    assert rows[1]["ended_at"] is None
    assert rows[1]["status"] == "in_progress"
    json.dumps(rows)  # plain JSON values only


def test_since_and_until_are_local_days_inclusive(store: HistoryStore) -> None:
    ids = [add(store, START + timedelta(days=d), done=1) for d in range(5)]
    picked = store.session_summaries(since=date(2025, 3, 15), until=date(2025, 3, 17))
    assert [s.id for s in picked] == ids[1:4]
    assert [s.id for s in store.session_summaries(until=date(2025, 3, 14))] == ids[:1]


def test_table_lines_up_and_totals(store: HistoryStore) -> None:
    add(store, START, done=3)
    add(store, START + timedelta(days=1), done=9)  # all nine holds; cat-cow not done
    text = format_history_table(store.session_summaries())
    lines = text.splitlines()
    header = ["Date", "Time", "Routine", "Status", "Exercises", "Reps", "Active", "Pain"]
    assert lines[0].split() == header
    row = "2025-03-{}  07:00  Morning stretches  Partial        {}/5  {}/10   {} min  6 → 4"
    assert lines[2] == row.format(14, 1, 3, 1)
    assert lines[3] == row.format(15, 4, 9, 3)
    assert lines[-1] == "2 sessions, 0 completed, 4 min active."
    assert format_history_table([]) == "No sessions recorded."


def test_parse_day_explains_the_format() -> None:
    assert parse_day("2025-03-14") == date(2025, 3, 14)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day("14/03/2025")
