"""The recorder: engine events land in the history store as they happen."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.history.model import SessionStatus
from si_timer.library.catalog import load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.engine import EngineEvent, SegmentFinished, SessionEnded, SessionEngine
from si_timer.session.plan import build_plan
from si_timer.ui.home import days_ago_text
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
    recorder.rate(Ratings(pain_after=3, difficulty="about_right", note="Felt looser"))
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
    assert recorder.routine_usage() == {}


def test_days_ago_words() -> None:
    today = datetime(2026, 11, 21, tzinfo=UTC).date()
    assert days_ago_text(today, today) == "Today"
    assert days_ago_text(today.replace(day=20), today) == "Yesterday"
    assert days_ago_text(today.replace(day=15), today) == "6 days ago"
    assert days_ago_text(today.replace(month=1, day=3), today) == "3 Jan 2026"


def test_a_history_damaged_after_todays_check_is_replaced_not_fatal(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from si_timer.history.store import HistoryStore
    from tests.history.factories import fill_history
    from tests.history.test_damage import damage_index

    paths = resolve_paths(tmp_path)
    for _ in range(2):  # the second open of the day makes and checks the daily backup
        store, _ = HistoryStore.open(paths.database_file, backup_dir=paths.backup_dir)
        with store:
            if not store.session_count():
                fill_history(
                    store, date.today() - timedelta(days=20), date.today() + timedelta(days=1)
                )
    damage_index(paths.database_file, "sessions_by_day")
    recorder = SessionRecorder.open(paths)
    assert recorder.notice is None  # the open check is not due again today
    _, status, _ = recorder.home_status(load_catalog())
    assert status.startswith("Done today")
    (notice,) = recorder.new_notices()
    assert "could not be read" in notice
    assert "moved to" in notice
    assert recorder.new_notices() == []
    recorder.close()
