"""The derived data of a bulk import equals what the per-session refresh computes.

An import works out each new session's counters, tallies and exercise totals
from its rows while they are still Python values (``derived.NewSessions``);
everything else (a write during a session, a migration, a session an import
changes) reads them back from the database (``derived.rebuild``).  These
tests import generated histories, full of the awkward cases (sessions resumed
after "back", abandoned without a row, still in progress, stopped for pain,
rows out of order, rows no plan knows), then recompute every session the
database's way and require the very same rows.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from si_timer.history import derived, merge
from si_timer.history.exchange import ExportFormat, export_to_path, import_history
from si_timer.history.model import (
    Outcome,
    SegmentKind,
    SessionStatus,
    StoredSegment,
    StoredSession,
)
from si_timer.history.store import HistoryStore
from si_timer.records import replace
from tests.helpers.clocks import Clock
from tests.helpers.history_factories import generate_sessions

# Everything derived: the sessions' own columns, the per-exercise rows, the
# names, and the routine totals the triggers keep.
_DERIVED = {
    "sessions": "SELECT * FROM sessions ORDER BY key",
    "session_exercises": "SELECT * FROM session_exercises ORDER BY session_key, exercise",
    "exercise_names": "SELECT * FROM exercise_names ORDER BY exercise",
    "routine_totals": "SELECT * FROM routine_totals ORDER BY routine",
}


def snapshot(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {name: conn.execute(sql).fetchall() for name, sql in _DERIVED.items()}


def awkward(session: StoredSession, rng: random.Random) -> StoredSession:
    """The session, bent into one of the shapes real history takes."""
    rows = [seg.record for seg in session.segments]
    roll = rng.random()
    status = session.status
    if roll < 0.1:
        rows, status = [], SessionStatus.ABANDONED  # gave up before the first segment
    elif roll < 0.3 and len(rows) > 4:
        # "Back" and again: some work done over, better or worse than the first time.
        later = rows[-1].ended_at
        for record in rng.sample(rows, 3):
            later += timedelta(seconds=rng.uniform(1, 30))
            outcome = rng.choice(list(Outcome))
            rows.append(replace(record, outcome=outcome, ended_at=later))
    elif roll < 0.45:
        # Stopped because it hurt, or skipped, anywhere.
        rows = [
            replace(r, outcome=rng.choice((Outcome.SKIPPED_PAIN, Outcome.SKIPPED)))
            if rng.random() < 0.3
            else r
            for r in rows
        ]
    elif roll < 0.55 and len(rows) > 3:
        # Resumed and still running: in progress, part of its rows.
        rows, status = rows[: rng.randint(1, len(rows) - 1)], SessionStatus.IN_PROGRESS
    elif roll < 0.62 and rows:
        # Rows no plan step matches, and work that names no exercise.
        odd = rows[0]
        rows.append(replace(odd, index=999, ended_at=rows[-1].ended_at))
        rows.append(
            replace(odd, kind=SegmentKind.MANUAL, exercise=None, ended_at=rows[-1].ended_at)
        )
    elif roll < 0.7 and rows:
        # Whole seconds (ints), as an older version or another tool writes them.
        rows = [replace(r, actual_seconds=round(r.actual_seconds)) for r in rows]
    segments = [StoredSegment(i + 1, r) for i, r in enumerate(rows)]
    if rng.random() < 0.2:
        rng.shuffle(segments)  # a backup need not list rows in their order
    return replace(session, status=status, segments=tuple(segments))


def history(seed: int, days: int = 40) -> list[StoredSession]:
    rng = random.Random(seed)
    first = date(2024, 3, 20)  # across a change to summer time
    return [
        awkward(s, rng)
        for s in generate_sessions(first, first + timedelta(days=days), seed=seed, skip_days=0.1)
    ]


def recomputed(
    conn: sqlite3.Connection, keys: list[int] | None
) -> dict[str, list[tuple[object, ...]]]:
    """Derived data as the database's own refresh computes it (rolled back after)."""
    conn.execute("SAVEPOINT recompute")
    try:
        conn.execute("DELETE FROM session_exercises")
        conn.execute("DELETE FROM exercise_names")
        conn.execute(
            "UPDATE sessions SET local_day = '', routine_name = '', goal_per_day = 0, "
            "segments_total = -1, segments_done = -1, active_seconds = -1, last_index = -1, "
            "last_activity_at = NULL, exercises_total = -1, exercises_done = -1, "
            "reps_total = -1, reps_done = -1"
        )
        if keys is None:
            derived.rebuild(conn)
        else:
            for key in keys:  # one at a time, as the store refreshes a session it writes
                derived.rebuild(conn, [key])
        return snapshot(conn)
    finally:
        conn.execute("ROLLBACK TO recompute")
        conn.execute("RELEASE recompute")


def assert_same(store: HistoryStore) -> None:
    conn = store._conn
    conn.execute("BEGIN")
    try:
        imported = snapshot(conn)
        keys = [k for (k,) in conn.execute("SELECT key FROM sessions ORDER BY key")]
        assert imported["sessions"]
        assert imported["session_exercises"]
        for way in (recomputed(conn, keys), recomputed(conn, None)):
            for table, rows in imported.items():
                assert rows == way[table], table
    finally:
        conn.execute("ROLLBACK")


def test_the_awkward_histories_hold_every_case() -> None:
    """The generator really makes the cases these tests are about."""
    sessions = [s for seed in (1, 2, 3) for s in history(seed)]
    statuses = {s.status for s in sessions}
    assert statuses == set(SessionStatus)
    assert any(not s.segments for s in sessions)
    assert any(
        len({seg.record.index for seg in s.segments}) < len(s.segments) for s in sessions
    )  # done again after "back"
    outcomes = {seg.record.outcome for s in sessions for seg in s.segments}
    assert outcomes == set(Outcome)
    assert any([g.seq for g in s.segments] != sorted(g.seq for g in s.segments) for s in sessions)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_bulk_merge_derives_what_the_per_session_refresh_does(
    store: HistoryStore, seed: int
) -> None:
    sessions = history(seed)
    assert store.merge(sessions, []).sessions_added == len(sessions)
    assert_same(store)


@pytest.mark.parametrize("seed", [5, 6])
def test_an_import_into_a_filled_history_derives_the_same(
    store: HistoryStore, tmp_path: Path, clock: Clock, seed: int
) -> None:
    """Half the history there already, the backup bringing the rest and longer
    copies of some sessions we hold (those take the database's way)."""
    sessions = history(seed)
    half = len(sessions) // 2
    store.merge(sessions[:half], [])
    rng = random.Random(seed)
    longer = [
        replace(
            s,
            segments=(
                *s.segments,
                StoredSegment(
                    len(s.segments) + 1,
                    replace(
                        s.segments[-1].record,
                        outcome=Outcome.DONE,
                        ended_at=s.segments[-1].record.ended_at + timedelta(seconds=5),
                    ),
                ),
            ),
        )
        for s in rng.sample([s for s in sessions[:half] if s.segments], 10)
    ]
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    with other:
        other.merge([*sessions[half:], *longer], [])
        backup = tmp_path / "backup.json"
        export_to_path(other, ExportFormat.JSON, backup)
    result = import_history(store, backup)
    assert result.sessions_added == len(sessions) - half
    assert result.sessions_updated == 10
    assert_same(store)


def test_a_session_twice_in_one_backup_derives_the_same(store: HistoryStore) -> None:
    sessions = [s for s in history(7, days=5) if len(s.segments) > 3]
    first = sessions[0]
    shorter = replace(first, segments=first.segments[:2])
    store.merge([shorter, *sessions[1:], first], [])
    assert_same(store)


@pytest.mark.parametrize("bulk", [1, 10**9])
def test_routine_totals_of_a_bulk_insert_are_the_triggers(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch, bulk: int
) -> None:
    """New sessions inserted with the totals' trigger set aside (``bulk`` 1) or
    through it: the same totals, into a history that holds some already, and the
    trigger is back afterwards, keeping the totals of later writes."""
    monkeypatch.setattr(merge, "_BULK_SESSIONS", bulk)
    sessions = history(8)
    half = len(sessions) // 2
    store.merge(sessions[:half], [])
    store.merge(sessions[half:], [])
    assert store._conn.execute("SELECT sessions FROM routine_totals").fetchall()
    assert_same(store)
    triggers = {n for (n,) in store._conn.execute("SELECT name FROM sqlite_master")}
    assert "routine_totals_insert" in triggers
    store.merge([replace(s, id=s.id + "-again") for s in sessions[:5]], [])
    assert_same(store)
