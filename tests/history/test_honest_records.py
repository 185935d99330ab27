"""Records that skipping cannot fool: the migration to version 3, finishing, goals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from si_timer.history.days import DayStatus
from si_timer.history.migrations import migrate, user_version
from si_timer.history.model import (
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    Side,
    StoredSegment,
    StoredSession,
)
from si_timer.history.store import HistoryStore
from si_timer.history.tally import DONE_FRACTION
from si_timer.library.catalog import load_catalog
from si_timer.session.plan import build_plan
from tests.history.test_migrations import connect, insert_v1

CATALOG = load_catalog()
DAY = date(2025, 6, 2)


def plan(routine: str) -> dict:
    return build_plan(CATALOG.routine(routine), CATALOG.exercises).to_json()


def played(
    routine: str, start: datetime, sid: str, *, pace: float, status: SessionStatus
) -> StoredSession:
    """Every segment recorded "done" after ``pace`` of its time (self-paced: 3 s a rep),
    as the player before version 3 recorded a run of Right or Enter presses."""
    snapshot = plan(routine)
    rows = []
    at = start
    for seg in snapshot["segments"]:
        planned = seg["seconds"]
        actual = pace * (planned if planned is not None else 3.0 * (seg["reps"] or 1))
        at += timedelta(seconds=actual)
        rows.append(
            StoredSegment(
                seq=seg["index"] + 1,
                record=SegmentRecord(
                    seg["index"],
                    SegmentKind(seg["kind"]),
                    seg["exercise"],
                    Side(seg["side"]),
                    seg["set"],
                    seg["rep"],
                    planned,
                    actual,
                    Outcome.DONE,
                    at,
                ),
            )
        )
    return StoredSession(
        sid, routine, snapshot, start, 120, at, status, 3, 2, None, None, tuple(rows)
    )


def at(hour: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=UTC)


def test_migration_3_makes_old_history_honest(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "history.sqlite3"
    conn = connect(path)
    migrate(conn, target=1)
    rushed = played("morning", at(6), "rushed", pace=0.05, status=SessionStatus.COMPLETED)
    full = played("full", at(9), "full", pace=1.0, status=SessionStatus.COMPLETED)
    morning = played("morning", at(15), "morning", pace=1.0, status=SessionStatus.COMPLETED)
    for session in (rushed, full, morning):
        insert_v1(conn, session)
    migrate(conn, target=2)
    # Version 2 believed the rushed session: completed, counted, a streak.
    (status, done) = conn.execute(
        "SELECT status, segments_done FROM sessions WHERE id = 'rushed'"
    ).fetchone()
    assert (status, done > 0) == ("completed", True)
    migrate(conn, target=3)
    assert user_version(conn) == 3
    conn.close()

    store, _ = HistoryStore.open(path)
    with store:
        listed = {s.id: s for s in store.session_summaries()}
        # Pressed through in a few seconds: not a session any more, and kept in the file.
        assert set(listed) == {"full", "morning"}
        assert store.session_count() == 3
        raw = store.stored_session("rushed")
        assert raw is not None
        assert raw.status is SessionStatus.ABANDONED
        work = [g for g in raw.segments if g.record.is_work]
        moves = {s["index"] for s in raw.plan["segments"] if s.get("move")}
        assert {g.record.outcome for g in work if g.record.index not in moves} == {Outcome.SKIPPED}
        m = listed["morning"]
        assert (m.status, m.exercises_done, m.exercises_total) == (SessionStatus.COMPLETED, 5, 5)
        # Counted in reps: cat-cow's ten reps are ten, not forty phases.
        assert m.reps_total == 3 + 2 + 10 + 2 + 2
        assert m.counts_text() == "5 of 5 exercises done · 19 of 19 reps"
        # The full session holds all five morning stretches: morning is 2 of 2 today.
        (day,) = [c for week in store.month(2025, 6, DAY).weeks for c in week if c.day == DAY]
        morning_day = next(r for r in day.activity.routines if r.routine == "morning")
        assert (morning_day.completed, morning_day.credited) == (1, 1)
        assert day.activity.status is DayStatus.FULL


def test_pressing_through_records_no_completed_session_and_no_streak(
    store: HistoryStore,
) -> None:
    rushed = played("morning", at(6), "x", pace=0.01, status=SessionStatus.IN_PROGRESS)
    sid = store.begin_session(
        "morning", rushed.plan, started_at=rushed.started_at, utc_offset_minutes=120
    )
    for g in rushed.segments:
        # The engine marks a rushed "done" as skipped; the store does not trust it either.
        store.record_segment(sid, g.record)
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=at(7))
    assert store.session_summaries() == []
    assert store.streaks(DAY).current == 0
    assert store.routine_usage() == {}
    assert store.month(2025, 6, DAY).weeks[0][0].activity.status is DayStatus.NONE


def test_a_hold_done_for_most_of_its_time_counts(store: HistoryStore) -> None:
    snapshot = plan("flare-up")
    sid = store.begin_session("flare-up", snapshot, started_at=at(6), utc_offset_minutes=0)
    hold = next(s for s in snapshot["segments"] if s["kind"] == "hold")
    for actual, outcome in ((DONE_FRACTION * hold["seconds"] + 0.01, Outcome.DONE),):
        store.record_segment(
            sid,
            SegmentRecord(
                hold["index"],
                SegmentKind.HOLD,
                hold["exercise"],
                Side(hold["side"]),
                1,
                1,
                hold["seconds"],
                actual,
                outcome,
                at(6) + timedelta(minutes=1),
            ),
        )
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=at(7))
    (s,) = store.session_summaries()
    assert s.status is SessionStatus.PARTIAL
    assert (s.reps_done, s.exercises_done) == (1, 0)
