"""The recorder: engine events land in the history store as they happen."""

from __future__ import annotations

import sqlite3
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
from si_timer.ui.session.recording import SessionRecorder
from si_timer.ui.session.summary import Ratings


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
    assert recorder.end(ended[0]) is True
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
    assert recorder.end(SessionEnded(EndStatus.ABANDONED, 0, 0, 1, 0.0, 0.0)) is False


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
    recorder.close()
