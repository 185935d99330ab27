"""The composition root, end to end offscreen: home → session → summary → home."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.config.settings import load_settings
from si_timer.session.clock import FakeClock
from si_timer.session.engine import EngineState
from si_timer.ui.app import App
from tests.ui.qt_messages import BACKEND_PROBE_WARNINGS

# Sessions preload the sounds, which wakes QtMultimedia's backend probes.
pytestmark = pytest.mark.qt_log_ignore(*BACKEND_PROBE_WARNINGS)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    paths = resolve_paths(tmp_path / "data")
    paths.config_dir.mkdir(parents=True)
    # Past the first-run safety notice; a silent voice so nothing depends on a speech engine.
    paths.settings_file.write_text(
        json.dumps({"safety_acknowledged": True, "speech_engine": "mock"})
    )
    return paths


@pytest.fixture
def app(qtbot: QtBot, paths: AppPaths) -> Iterator[tuple[App, FakeClock]]:
    clock = FakeClock()
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    application = App(qapp, paths, clock=clock)
    qtbot.addWidget(application.window)
    application.window.show()
    application.history  # noqa: B018 - run_app opens it once the window has painted
    yield application, clock
    application.shut_down()


def run(app: App, clock: FakeClock, seconds: float, step: float = 0.5) -> None:
    """Advance the session clock; each step is one wake of the controller."""
    assert app.run is not None
    for _ in range(round(seconds / step)):
        clock.advance(step)
        app.run.controller._wake()  # the timer's own slot: what a real wake does


def test_home_offers_the_morning_stretches_first(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    home = application.window.home
    assert "Morning stretches" in home.hero.text()
    assert home.status.text().startswith("Nothing yet today")


def test_a_whole_session_from_the_big_button(qtbot: QtBot, app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    assert window.pages.currentWidget() is window.player
    assert application.run is not None
    engine = application.run.engine
    assert engine.state is EngineState.RUNNING
    QTest.keyClick(window.player, Qt.Key.Key_3)  # pain before, by key
    run(application, clock, 6.0)
    assert window.player.phase_label.text() == "HOLD"
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    assert engine.state is EngineState.PAUSED
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    run(application, clock, 3.0)
    assert engine.state is EngineState.RUNNING
    QTest.keyClick(window.player, Qt.Key.Key_Right)
    assert engine.segment.kind.value == "switch"
    run(application, clock, 400.0)
    assert window.pages.currentWidget() is window.summary
    assert window.summary.title.text() == "Well done."
    window.summary.pain.button(5).click()  # two above "before": a calm note
    assert window.summary.ease_off.isVisibleTo(window.summary)
    window.summary.finish_button.click()
    assert window.pages.currentWidget() is window.home
    assert window.home.status.text() == "Done today: Morning stretches 1 of 2"
    store = application.history.store
    assert store is not None
    (session,) = store.session_summaries()
    assert (session.pain_before, session.pain_after) == (3, 5)


def test_space_types_in_the_note_and_does_not_pause(
    qtbot: QtBot, app: tuple[App, FakeClock]
) -> None:
    application, _ = app
    window = application.window
    window.home.hero.click()
    window.player.end_clicked.disconnect()  # no confirmation box in this test
    application.run.controller.end()  # type: ignore[union-attr]
    assert window.pages.currentWidget() is window.summary
    window.summary.note.setFocus()
    QTest.keyClicks(window.summary.note, "a b")
    assert window.summary.note.text() == "a b"


def test_it_hurts_skips_the_exercise_and_says_why(app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    run(application, clock, 7.0)
    QTest.keyClick(window.player, Qt.Key.Key_H)
    assert application.run is not None
    assert application.run.engine.segment.exercise_id == "figure-4"
    assert "pain means ease off" in window.player.notice.text()


def test_settings_are_saved_and_applied(app: tuple[App, FakeClock], paths: AppPaths) -> None:
    application, _ = app
    import dataclasses

    from si_timer.config.settings import Theme

    application.update_settings(
        dataclasses.replace(application.settings, theme=Theme.DARK, volume=0.5)
    )
    saved, warnings = load_settings(paths.settings_file)
    assert warnings == []
    assert saved.theme is Theme.DARK
    assert application.palette.name == "dark"


def test_mute_silences_sound_and_voice(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    application.toggle_mute()
    assert application.sounds.is_muted()
    application.toggle_mute()
    assert not application.sounds.is_muted()


def test_too_easy_makes_the_next_session_a_little_longer(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    window = application.window
    window.home.start_requested.emit("core-strength")
    assert application.run is not None
    application.run.controller.end()
    window.summary.feel.button(0).click()  # "Too easy"
    assert "Glute bridge: 7 s holds (longer)" in window.summary.next_time.text()
    window.summary.finish_button.click()
    assert application.settings.levels["glute-bridge"] == 7.0
    window.home.start_requested.emit("core-strength")
    assert application.run is not None
    holds = {
        s.seconds
        for s in application.run.plan.segments
        if s.exercise_id == "glute-bridge" and s.kind.value == "hold"
    }
    assert holds == {7.0}


def test_calendar_opens_and_leads_back_home(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    window = application.window
    window.home.history_button.click()
    view = application.history_view()
    assert view is not None
    assert window.pages.currentWidget() is view
    view.home_requested.emit()
    assert window.pages.currentWidget() is window.home


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_broken_settings_file_is_kept_aside_owner_only(qtbot: QtBot, paths: AppPaths) -> None:
    import dataclasses
    import stat

    paths.settings_file.write_text('{"volume": "loud", "safety_acknowledged": true}')
    paths.settings_file.chmod(0o644)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    application = App(qapp, paths, clock=FakeClock())
    qtbot.addWidget(application.window)
    try:
        application.update_settings(dataclasses.replace(application.settings, volume=0.4))
    finally:
        application.shut_down()
    (kept,) = paths.config_dir.glob("settings.json.broken-*")
    assert json.loads(kept.read_text())["volume"] == "loud"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600
