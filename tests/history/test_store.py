"""The store as the player uses it: each event written as it happens, announced once."""

from __future__ import annotations

import os
import random
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history import derived
from si_timer.history.changes import HistoryChange
from si_timer.history.days import DayStatus
from si_timer.history.errors import HistoryUnavailableError, SessionStateError
from si_timer.history.model import (
    DayMark,
    Difficulty,
    Outcome,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    Side,
)
from si_timer.history.store import HistoryStore
from tests.helpers.clocks import Clock
from tests.helpers.history_factories import make_plan, play_segments

START = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)  # 07:00 in Berlin (UTC+1)


def segment(
    index: int,
    kind: str = "hold",
    outcome: str = "done",
    seconds: float = 20.0,
    exercise: str | None = "knee-to-chest",
) -> SegmentRecord:
    return SegmentRecord(
        index=index,
        kind=SegmentKind(kind),
        exercise=exercise,
        side=Side.LEFT,
        set=1,
        rep=1,
        planned_seconds=20.0,
        actual_seconds=seconds,
        outcome=Outcome(outcome),
        ended_at=START + timedelta(seconds=30 * (index + 1)),
    )


def begin(store: HistoryStore, routine: str = "morning", start: datetime = START) -> str:
    return store.begin_session(
        routine, make_plan(routine), started_at=start, utc_offset_minutes=60, pain_before=5
    )


def test_a_whole_session_as_the_player_records_it(store: HistoryStore) -> None:
    changes: list[str] = []
    store.subscribe(lambda _change: changes.append("changed"))
    plan = make_plan("morning")
    sid = begin(store)
    assert len(sid) == 36
    assert sid.count("-") == 4
    records = play_segments(plan, START, random.Random(1), pain_skips=0.0)
    for record in records:
        store.record_segment(sid, record)
    store.finish_session(
        sid,
        SessionStatus.COMPLETED,
        ended_at=records[-1].ended_at,
        pain_after=3,
        difficulty=Difficulty.ABOUT_RIGHT,
        note="  Felt good.  ",
    )
    assert len(changes) == 1 + len(records) + 1  # one announcement per write
    (s,) = store.session_summaries()
    assert (s.id, s.routine, s.routine_name, s.status) == (
        sid,
        "morning",
        "Morning stretches",
        SessionStatus.COMPLETED,
    )
    assert (s.pain_before, s.pain_after, s.difficulty, s.note) == (
        5,
        3,
        Difficulty.ABOUT_RIGHT,
        "Felt good.",
    )
    assert (s.segments_done, s.segments_total) == (10, 10)
    assert s.active_seconds == pytest.approx(sum(r.actual_seconds for r in records))
    assert s.local_day == date(2025, 3, 14)
    assert s.local_start.hour == 7
    stored = store.stored_session(sid)
    assert stored is not None
    assert [g.record for g in stored.segments] == records
    assert [g.seq for g in stored.segments] == list(range(1, len(records) + 1))
    assert stored.plan == plan


def test_segments_done_counts_work_segments_done_once_each(store: HistoryStore) -> None:
    sid = begin(store)
    store.record_segment(sid, segment(0, kind="lead_in"))
    store.record_segment(sid, segment(1))
    store.record_segment(sid, segment(1))  # done again after "back"
    store.record_segment(sid, segment(3, outcome="skipped"))
    store.record_segment(sid, segment(4, outcome="skipped_pain"))
    store.record_segment(sid, segment(5, kind="manual", exercise="cat-cow"))
    (s,) = store.session_summaries()
    assert (s.segments_done, s.segments_total) == (2, 10)
    stats = {e.exercise: e for e in store.exercise_stats()}
    assert stats["knee-to-chest"].reps_done == 1
    assert stats["knee-to-chest"].best_hold_seconds == 20.0
    assert stats["knee-to-chest"].last_done == date(2025, 3, 14)
    assert stats["knee-to-chest"].name == "Knee-to-chest stretch"
    assert stats["knee-to-chest"].skipped_pain == 1
    assert stats["cat-cow"].best_hold_seconds is None  # a self-paced set is no hold


def test_ratings_asked_after_the_last_segment(store: HistoryStore) -> None:
    sid = begin(store)
    store.record_segment(sid, segment(1))
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=START + timedelta(minutes=5))
    store.set_pain_after(sid, 2)
    store.set_difficulty(sid, Difficulty.TOO_HARD)
    store.set_note(sid, "Left hip clicked.")
    store.set_pain_before(sid, None)
    (s,) = store.session_summaries()
    assert (s.pain_before, s.pain_after, s.difficulty, s.note) == (
        None,
        2,
        Difficulty.TOO_HARD,
        "Left hip clicked.",
    )
    store.set_note(sid, "   ")
    assert store.session_summaries()[0].note is None


def test_finish_keeps_ratings_given_earlier_when_left_none(store: HistoryStore) -> None:
    sid = begin(store)
    store.set_note(sid, "Before the end")
    store.set_pain_after(sid, 4)
    store.finish_session(sid, SessionStatus.PARTIAL, ended_at=START + timedelta(minutes=3))
    (s,) = store.session_summaries()
    assert (s.note, s.pain_after, s.status) == ("Before the end", 4, SessionStatus.PARTIAL)


@pytest.mark.parametrize("pain", [-1, 11])
def test_pain_outside_0_to_10_is_refused(store: HistoryStore, pain: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 10"):
        store.begin_session("morning", {}, started_at=START, utc_offset_minutes=0, pain_before=pain)
    assert store.session_count() == 0


def test_wrong_calls_are_bugs_and_write_nothing(store: HistoryStore) -> None:
    changes: list[int] = []
    store.subscribe(lambda _change: changes.append(1))
    with pytest.raises(SessionStateError, match="begin or resume"):
        store.record_segment("no-such-session", segment(0))
    sid = begin(store)
    store.finish_session(sid, SessionStatus.ABANDONED, ended_at=START)
    with pytest.raises(SessionStateError, match="abandoned, not in_progress"):
        store.finish_session(sid, SessionStatus.COMPLETED, ended_at=START)
    with pytest.raises(SessionStateError):
        store.record_segment(sid, segment(0))
    with pytest.raises(ValueError, match="in progress"):
        store.finish_session(sid, SessionStatus.IN_PROGRESS, ended_at=START)
    with pytest.raises(ValueError, match="timezone-aware"):
        store.begin_session("m", {}, started_at=datetime(2025, 1, 1), utc_offset_minutes=0)
    with pytest.raises(SessionStateError, match="no session"):
        store.set_note("nope", "x")
    with pytest.raises(TypeError):
        store.begin_session("m", {"x": object()}, started_at=START, utc_offset_minutes=0)
    assert changes == [1, 1]  # the begin and the one finish, nothing else
    assert store.session_count() == 1


def test_unsubscribe_stops_announcements(store: HistoryStore) -> None:
    calls: list[int] = []
    unsubscribe = store.subscribe(lambda _change: calls.append(1))
    store.set_day_mark(date(2025, 3, 1), DayMark.REST)
    unsubscribe()
    unsubscribe()  # twice is harmless
    store.set_day_mark(date(2025, 3, 2), DayMark.REST)
    assert calls == [1]


def test_day_marks_set_change_and_clear(store: HistoryStore) -> None:
    day = date(2025, 3, 10)
    store.set_day_mark(day, DayMark.REST)
    store.set_day_mark(day, DayMark.SICK)
    assert store.day_marks() == {day: DayMark.SICK}
    assert store.month(2025, 3, date(2025, 3, 14)).weeks[2][0].activity.status is DayStatus.SICK
    store.set_day_mark(day, None)
    assert store.day_marks() == {}


def test_a_crashed_session_is_offered_for_resume_or_partial(db_path: Path, clock: Clock) -> None:
    first, _ = HistoryStore.open(db_path, now=clock.now)
    sid = begin(first)
    for i in range(4):
        first.record_segment(sid, segment(i))
    assert first.interrupted_sessions() == []  # ours, still running
    assert first.is_recording(sid)
    first._conn.close()  # the process dies: no finish, no clean close

    second, report = HistoryStore.open(db_path, now=clock.now)
    with second:
        (crashed,) = report.interrupted
        assert crashed.id == sid
        assert crashed.last_index == 3
        assert crashed.next_index == 4
        assert crashed.last_activity_at == segment(3).ended_at
        assert crashed.plan == make_plan("morning")
        day = second.month(2025, 3, date(2025, 3, 14)).weeks[2][4]
        assert day.day == date(2025, 3, 14)
        assert day.activity.status is DayStatus.PARTIAL
        with pytest.raises(SessionStateError):
            second.record_segment(sid, segment(4))  # resume first
        assert not second.is_recording(sid)
        resumed = second.resume_session(sid)
        assert second.is_recording(sid)
        assert resumed.next_index == 4
        assert second.interrupted_sessions() == []
        second.record_segment(sid, segment(4))
        second.finish_session(sid, SessionStatus.COMPLETED, ended_at=START + timedelta(hours=1))
        (s,) = second.session_summaries()
        assert s.status is SessionStatus.COMPLETED


def test_keep_as_partial_ends_at_the_last_activity(db_path: Path, clock: Clock) -> None:
    first, _ = HistoryStore.open(db_path, now=clock.now)
    sid = begin(first)
    first.record_segment(sid, segment(0))
    first._conn.close()
    second, report = HistoryStore.open(db_path, now=clock.now)
    with second:
        second.keep_as_partial(report.interrupted[0].id)
        (s,) = second.session_summaries()
        assert (s.status, s.ended_at) == (SessionStatus.PARTIAL, segment(0).ended_at)
        assert second.interrupted_sessions() == []
        with pytest.raises(SessionStateError):
            second.keep_as_partial(sid)


def test_files_are_private(store: HistoryStore, db_path: Path) -> None:
    sid = begin(store)
    store.record_segment(sid, segment(0))
    store.finish_session(sid, SessionStatus.COMPLETED, ended_at=START)
    files = [db_path, *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm"))]
    assert all(f.exists() for f in files)
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700


def test_an_old_loose_file_is_tightened(db_path: Path, clock: Clock) -> None:
    store, _ = HistoryStore.open(db_path, now=clock.now)
    store.close()
    db_path.chmod(0o644)
    db_path.parent.chmod(0o755)
    store, _ = HistoryStore.open(db_path, now=clock.now)
    store.close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    # A folder that exists is the person's (maybe shared, maybe a link): never chmodded.
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o755


def test_an_unusable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(HistoryUnavailableError, match="folder cannot be created") as info:
        HistoryStore.open(blocker / "history.sqlite3")
    assert str(blocker / "history.sqlite3") in str(info.value)
    folder = tmp_path / "dir-instead"
    folder.mkdir()
    (folder / "history.sqlite3").mkdir()
    with pytest.raises(HistoryUnavailableError, match="not a file"):
        HistoryStore.open(folder / "history.sqlite3")


@pytest.mark.skipif(os.name != "posix", reason="read-only folder semantics")
def test_a_write_that_fails_becomes_history_unavailable(db_path: Path, clock: Clock) -> None:
    store, _ = HistoryStore.open(db_path, now=clock.now)
    with store:
        sid = begin(store)
        # Another connection holds the write lock: our write cannot happen.
        other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
        other.execute("BEGIN IMMEDIATE")
        store._conn.execute("PRAGMA busy_timeout = 10")
        try:
            with pytest.raises(HistoryUnavailableError, match="another si-timer"):
                store.record_segment(sid, segment(0))
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.record_segment(sid, segment(0))  # and it works again afterwards
        assert not store._conn.in_transaction


def test_incremental_derived_data_equals_a_full_rebuild(store: HistoryStore) -> None:
    rng = random.Random(11)
    for n in range(6):
        routine = ("morning", "strength")[n % 2]
        start = START + timedelta(hours=7 * n)
        sid = begin(store, routine, start)
        for record in play_segments(make_plan(routine), start, rng, pain_skips=0.3)[: 5 + 3 * n]:
            store.record_segment(sid, record)
        if n % 3:
            store.finish_session(sid, SessionStatus.COMPLETED, ended_at=start + timedelta(hours=1))

    def snapshot() -> tuple[list[tuple[object, ...]], ...]:
        conn = store._conn
        return (
            conn.execute(
                "SELECT key, local_day, routine_name, goal_per_day, segments_total, "
                "segments_done, round(active_seconds, 6), last_index, last_activity_at "
                "FROM sessions ORDER BY key"
            ).fetchall(),
            conn.execute("SELECT * FROM session_exercises ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT * FROM exercise_names ORDER BY 1").fetchall(),
        )

    incremental = snapshot()
    store._conn.execute("BEGIN")
    store._conn.execute("UPDATE sessions SET segments_done = -1, local_day = ''")
    store._conn.execute("DELETE FROM session_exercises")
    derived.rebuild(store._conn)
    store._conn.execute("COMMIT")
    assert snapshot() == incremental


def test_listeners_see_a_new_session_as_being_recorded(store: HistoryStore) -> None:
    seen: list[bool] = []
    store.subscribe(
        lambda _change: seen.extend(store.is_recording(s.id) for s in store.session_summaries())
    )
    begin(store)
    assert seen == [True]


def test_a_failing_listener_is_loud_but_loses_nothing(store: HistoryStore) -> None:
    def broken(_change: HistoryChange) -> None:
        raise RuntimeError("bug in a view")

    unsubscribe = store.subscribe(broken)
    with pytest.raises(RuntimeError, match="bug in a view"):
        begin(store)
    unsubscribe()
    (s,) = store.session_summaries()
    assert store.is_recording(s.id)  # committed: the player can go on
    store.record_segment(s.id, segment(0))
