"""The recorder: engine events land in the history store as they happen."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.history import overview
from si_timer.history.model import Difficulty, SessionStatus
from si_timer.history.store import HistoryStore
from si_timer.library.catalog import load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.engine import (
    EndStatus,
    EngineEvent,
    SegmentFinished,
    SessionEnded,
    SessionEngine,
)
from si_timer.session.plan import build_plan
from si_timer.ui.session.outcome import Ratings, SaveState
from si_timer.ui.session.recording import SessionRecorder


def test_segments_are_saved_as_they_finish(qtbot: QtBot, tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    recorder = SessionRecorder.open(paths)
    assert recorder.store is not None
    catalog = load_catalog()
    plan = build_plan(catalog.routine("pelvic-rotation"), catalog.exercises)
    recorder.begin(plan)
    clock = FakeClock()
    ended: list[SessionEnded] = []

    def on_event(event: EngineEvent) -> None:
        if isinstance(event, SegmentFinished):
            recorder.record(event)
        elif isinstance(event, SessionEnded):
            ended.append(event)

    engine = SessionEngine(plan, clock, on_event)
    engine.start()
    for _ in range(20):
        clock.advance(0.5)
        engine.tick()
    # Read with a second connection, as a crash would leave it: already on disk.
    with sqlite3.connect(paths.database_file) as other:
        (rows,) = other.execute("SELECT COUNT(*) FROM segments").fetchone()
    assert rows == 2  # lead-in (5 s) and the first 5 s hold
    engine.end()
    assert recorder.end(ended[0]) is SaveState.SAVED
    recorder.rate(Ratings(pain_after=3, difficulty=Difficulty.ABOUT_RIGHT, note="Felt looser"))
    (summary,) = recorder.store.session_summaries()
    assert summary.status is SessionStatus.PARTIAL
    assert summary.pain_after == 3
    assert summary.note == "Felt looser"
    assert summary.segments_done == 1
    recorder.close()


def test_an_unopenable_history_still_lets_a_session_run(qtbot: QtBot, tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    paths.data_dir.mkdir(parents=True)
    paths.database_file.mkdir()  # a folder where the file should be
    recorder = SessionRecorder.open(paths)
    assert recorder.store is None
    assert recorder.notice is not None
    assert "will not be saved" in recorder.notice
    catalog = load_catalog()
    recorder.begin(build_plan(catalog.routine("morning"), catalog.exercises))  # no error
    assert recorder.end(SessionEnded(EndStatus.ABANDONED, 0, 0, 1, 0.0, 0.0)) is SaveState.OFF


def test_a_recorded_session_counts_on_the_home_screen_at_the_recorder_s_now(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = resolve_paths(tmp_path)
    store, _ = HistoryStore.open(paths.database_file)
    evening = datetime(2026, 3, 4, 20, 30, tzinfo=UTC)
    recorder = SessionRecorder(store, None, now=lambda: evening)
    catalog = load_catalog()
    plan = build_plan(catalog.routine("pelvic-rotation"), catalog.exercises)
    recorder.begin(plan)
    clock = FakeClock()
    engine = SessionEngine(
        plan, clock, lambda e: recorder.record(e) if isinstance(e, SegmentFinished) else None
    )
    engine.start()
    for _ in range(20):
        clock.advance(0.5)
        engine.tick()
    engine.end()
    local = evening.astimezone()
    usage = store.routine_usage()["pelvic-rotation"]
    assert (usage.count, usage.last_day) == (1, local.date())
    expected = overview.home_status(store, catalog.routines, local)
    # Ten seconds of it: partly done, and said so.
    assert expected.status == f"Done today: part of {plan.routine_name}"
    assert expected.streak == "1 day in a row"


def test_a_history_damaged_after_todays_check_is_replaced_not_fatal(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from si_timer.history.store import HistoryStore
    from tests.helpers.history_factories import fill_history
    from tests.history.test_damage import damage_index

    paths = resolve_paths(tmp_path)
    for _ in range(2):  # the second open of the day makes and checks the daily backup
        store, _ = HistoryStore.open(paths.database_file, backup_dir=paths.backup_dir)
        with store:
            if not store.session_count():
                fill_history(
                    store, date.today() - timedelta(days=20), date.today() + timedelta(days=1)
                )
    damage_index(paths.database_file, "sessions_by_day_done")  # what the day queries read
    recorder = SessionRecorder.open(paths)
    assert recorder.notice is None  # the open check is not due again today
    status = overview.home_status(
        recorder.store, load_catalog().routines, datetime.now().astimezone()
    )
    assert status.status.startswith("Done today")
    (notice,) = recorder.new_notices()
    assert "could not be read" in notice
    assert "moved to" in notice
    assert recorder.new_notices() == []
    recorder.close()


# --- a history that cannot take writes for a while -------------------------------------


def _play(
    recorder: SessionRecorder, plan_name: str, seconds: float
) -> tuple[list[SessionEnded], list[SegmentFinished]]:
    """Run a real engine on a fake clock into ``recorder``: how it ended, what it finished."""
    catalog = load_catalog()
    plan = build_plan(catalog.routine(plan_name), catalog.exercises)
    recorder.begin(plan)
    clock = FakeClock()
    ended: list[SessionEnded] = []
    finished: list[SegmentFinished] = []

    def on_event(event: EngineEvent) -> None:
        if isinstance(event, SegmentFinished):
            recorder.record(event)
            finished.append(event)
        elif isinstance(event, SessionEnded):
            ended.append(event)

    engine = SessionEngine(plan, clock, on_event)
    engine.start()
    for _ in range(round(seconds / 0.5)):
        clock.advance(0.5)
        engine.tick()
        if ended:
            break
    if not ended:
        engine.end()
    return ended, finished


def _segment_rows(db: Path) -> int:
    with sqlite3.connect(db) as other:
        (rows,) = other.execute("SELECT COUNT(*) FROM segments").fetchone()
    return int(rows)


def test_a_session_begun_while_history_is_locked_is_saved_once_the_lock_ends(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = resolve_paths(tmp_path)
    SessionRecorder.open(paths).close()  # the history exists, as after the first run
    holder = sqlite3.connect(paths.database_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # `si-timer import` of a large backup, in a terminal
    recorder = SessionRecorder.open(paths)
    failed: list[str] = []
    caught: list[bool] = []
    recorder.write_failed.connect(failed.append)
    recorder.caught_up.connect(lambda: caught.append(True))

    (ended,), finished = _play(recorder, "pelvic-rotation", 600)
    assert len(failed) == 1
    assert "another si-timer" in failed[0]
    assert recorder.pending > 0
    assert recorder.retry_in is not None
    assert 0 < recorder.retry_in <= 0.26  # the first back-off, to the timer's millisecond
    assert recorder.end(ended) is SaveState.SAVING
    recorder.rate(Ratings(pain_after=3, difficulty=Difficulty.ABOUT_RIGHT, note="Fine"))
    journal = paths.data_dir / "history.journal"
    assert journal.is_file()
    assert recorder.retry() is False  # still locked: nothing lands, nothing lost
    assert caught == []

    holder.execute("ROLLBACK")
    holder.close()
    with qtbot.waitSignal(recorder.caught_up, timeout=10_000):
        pass  # the recorder's own retry timer
    assert recorder.pending == 0
    assert recorder.problem is None
    assert not journal.exists()
    assert recorder.store is not None
    (summary,) = recorder.store.session_summaries()
    assert summary.status is SessionStatus.COMPLETED
    assert (summary.pain_after, summary.note) == (3, "Fine")
    assert summary.segments_done == summary.segments_total > 0
    assert _segment_rows(paths.database_file) == len(finished) > ended.done
    assert failed == [failed[0]]  # told once, not once per retry
    recorder.close()


def test_a_locked_history_never_holds_the_gui_thread_for_long(qtbot: QtBot, tmp_path: Path) -> None:
    import time

    paths = resolve_paths(tmp_path)
    SessionRecorder.open(paths).close()
    holder = sqlite3.connect(paths.database_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    recorder = SessionRecorder.open(paths)
    stalls: list[float] = []

    def timed(call: Callable[..., object]) -> Callable[..., object]:
        def run(*args: object) -> object:
            began = time.perf_counter()
            try:
                return call(*args)
            finally:
                stalls.append(time.perf_counter() - began)

        return run

    recorder.record = timed(recorder.record)  # type: ignore[method-assign]
    retry = timed(recorder.retry)
    _play(recorder, "pelvic-rotation", 120)
    for _ in range(20):
        retry()
    holder.execute("ROLLBACK")
    holder.close()
    assert len(stalls) >= 20
    # The store waits 5 ms for a lock; a write waiting seconds (the old 5 s) fails here.
    assert max(stalls) < 0.2, f"longest stall {max(stalls) * 1000:.1f} ms"
    with qtbot.waitSignal(recorder.caught_up, timeout=10_000):
        recorder.retry()
    assert recorder.pending == 0
    recorder.close()


def test_what_an_earlier_run_still_owed_is_replayed_at_open(qtbot: QtBot, tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    SessionRecorder.open(paths).close()
    holder = sqlite3.connect(paths.database_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    first = SessionRecorder.open(paths)
    _play(first, "pelvic-rotation", 30)
    owed = first.pending
    assert owed >= 3
    first.close()  # the app closes (or is killed) while the lock is held
    holder.execute("ROLLBACK")
    holder.close()
    assert (paths.data_dir / "history.journal").is_file()

    second = SessionRecorder.open(paths)
    assert second.pending == 0
    assert second.problem is None
    assert not (paths.data_dir / "history.journal").exists()
    assert second.store is not None
    (interrupted,) = second.store.interrupted_sessions()  # offered for resuming, as after a crash
    assert interrupted.segments_done >= 1
    assert _segment_rows(paths.database_file) == owed - 1  # every write but the start
    second.close()


def test_a_summary_saying_saving_becomes_saved_when_history_catches_up(qtbot: QtBot) -> None:
    from si_timer.ui.session.summary import SummaryFacts, SummaryScreen

    screen = SummaryScreen()
    qtbot.addWidget(screen)
    screen.show_facts(SummaryFacts("Morning", True, 4, 0, 4, 300.0, None, SaveState.SAVING))
    assert screen.saved_label.text() == "Saving… (will retry)"
    screen.history_caught_up()
    assert screen.saved_label.text() == "Saved to your history."
    screen.show_facts(SummaryFacts("Morning", True, 4, 0, 4, 300.0, None, SaveState.OFF))
    screen.history_caught_up()
    assert screen.saved_label.text() == "History could not be saved this time."
