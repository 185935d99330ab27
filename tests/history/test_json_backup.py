"""The version-1 JSON backup written from rows is, byte for byte, what the record writer wrote."""

from __future__ import annotations

import io
import json
import random
from datetime import UTC, datetime, timedelta

from si_timer.history.exchange import session_to_json, write_json_backup
from si_timer.history.json_backup import dumps, session_lines
from si_timer.history.model import (
    Difficulty,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    Side,
)
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import generate_sessions, make_plan, play_segments

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)


def reference_lines(store: HistoryStore) -> list[str]:
    """The old writer: each session as frozen records, encoded whole."""
    return [dumps(session_to_json(s)) for s in store.iter_stored_sessions()]


def odd_session(store: HistoryStore) -> str:
    """Values that are easy to get wrong: text to escape, nulls, whole seconds."""
    plan = make_plan("strength")
    plan["name"] = 'Strength "A" – ünïcode ✓ \\ \t tab'
    sid = store.begin_session(
        "strength", plan, started_at=START, utc_offset_minutes=-330, pain_before=0
    )
    for i, (kind, exercise, side, planned) in enumerate(
        [
            (SegmentKind.LEAD_IN, 'quote " and \\ back\x01slash', None, 5.0),
            (SegmentKind.MANUAL, "ünïcode-✓\u2028", Side.NONE, None),
            (SegmentKind.TRANSITION, None, None, 10),
            (SegmentKind.HOLD, "wall-sit", Side.BOTH, 30.000000000000004),
        ]
    ):
        store.record_segment(
            sid,
            SegmentRecord(
                index=i,
                kind=kind,
                exercise=exercise,
                side=side,
                set=None if i % 2 else 2,
                rep=None if i % 2 else 7,
                planned_seconds=planned,
                actual_seconds=[0, 1e-7, 12.5, 31.0][i],
                outcome=[Outcome.DONE, Outcome.SKIPPED_PAIN, Outcome.SKIPPED, Outcome.DONE][i],
                # Whole seconds: the old writer leaves out ".000000".
                ended_at=START + timedelta(seconds=10 * (i + 1), microseconds=7 * (i % 2)),
            ),
        )
    store.finish_session(
        sid,
        SessionStatus.PARTIAL,
        ended_at=START + timedelta(minutes=3),
        pain_after=10,
        difficulty=Difficulty.TOO_HARD,
        note='A "note"\nover two lines\x7f and ✓',
    )
    return sid


def test_every_session_is_written_as_the_record_writer_wrote_it(store: HistoryStore) -> None:
    sessions = list(generate_sessions(START.date(), START.date() + timedelta(days=20), seed=3))
    # Merged newest first: row keys no longer follow the export's time order.
    store.merge(reversed(sessions), [])
    odd_session(store)
    store.begin_session(  # a session without a segment, still in progress
        "morning",
        make_plan("morning"),
        started_at=START - timedelta(days=400),
        utc_offset_minutes=60,
    )
    with store.reading() as conn:
        lines = list(session_lines(conn))
    assert len(lines) == len(sessions) + 2
    assert lines == reference_lines(store)


def test_a_time_stored_in_another_shape_is_still_written_the_old_way(
    store: HistoryStore,
) -> None:
    odd_session(store)
    # Not what this store writes, but a file from elsewhere could hold it.
    store._conn.execute("UPDATE segments SET ended_at = '2025-03-14T07:00:10+01:00' WHERE seq = 1")
    store._conn.execute("UPDATE sessions SET started_at = '2025-03-14T06:00:00.000001+00:00'")
    with store.reading() as conn:
        lines = list(session_lines(conn))
    assert lines == reference_lines(store)
    assert '"ended_at":"2025-03-14T06:00:10+00:00"' in lines[0]


def test_the_whole_backup_parses_and_names_every_session(store: HistoryStore) -> None:
    odd_session(store)
    plan = make_plan("morning")
    sid = store.begin_session("morning", plan, started_at=START, utc_offset_minutes=60)
    for record in play_segments(plan, START, random.Random(1)):
        store.record_segment(sid, record)
    out = io.StringIO()
    assert write_json_backup(store, out, START, version=1) == 2
    document = json.loads(out.getvalue())
    assert [s["id"] for s in document["sessions"]] == [s.id for s in store.iter_stored_sessions()]
    assert document["sessions"] == [session_to_json(s) for s in store.iter_stored_sessions()]


def test_the_export_reads_one_snapshot(store: HistoryStore) -> None:
    """Sessions and segments are two reads; a session written meanwhile by another
    si-timer is in neither."""
    odd_session(store)
    with store.reading() as conn:
        other, _ = HistoryStore.open(store.path)
        with other:
            other.begin_session(
                "morning", make_plan("morning"), started_at=START, utc_offset_minutes=60
            )
        assert len(list(session_lines(conn))) == 1
    assert not conn.in_transaction
    with store.reading() as conn:
        assert len(list(session_lines(conn))) == 2
