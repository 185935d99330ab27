"""The composition root, end to end offscreen: home → session → summary → home."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMenu, QPushButton
from pytestqt.qtbot import QtBot

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.config.settings import load_settings
from si_timer.records import replace
from si_timer.session.clock import FakeClock
from si_timer.session.engine import EngineState, Outcome
from si_timer.session.plan import Level, SegmentKind
from si_timer.ui.app import App
from si_timer.ui.dialogs import SafetyDialog, SafetyTab
from si_timer.ui.history.report import ReportDialog
from si_timer.ui.session.runner import HURT_SPEECH, Run
from tests.helpers.qt_messages import BACKEND_PROBE_WARNINGS

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
def app(
    qtbot: QtBot, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[App, FakeClock]]:
    clock = FakeClock()
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    application = App(qapp, paths, clock=clock)
    # pytest-qt closes the window after each test: the person says yes to ending.
    monkeypatch.setattr(application.window, "ask_end", lambda: True)
    qtbot.addWidget(application.window)
    application.window.show()
    application.history  # noqa: B018 - run_app opens it once the window has painted
    yield application, clock
    application.shut_down()


def current(app: App) -> Run:
    assert app.runner.run is not None
    return app.runner.run


def run(app: App, clock: FakeClock, seconds: float, step: float = 0.5) -> None:
    """Advance the session clock; each step is one wake of the controller."""
    for _ in range(round(seconds / step)):
        clock.advance(step)
        if app.runner.run is None or app.runner.run.ended is not None:
            return
        current(app).controller._wake()  # the timer's own slot: what a real wake does


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
    engine = current(application).engine
    # The start screen: nothing counts until the person is ready.
    assert engine.state is EngineState.READY
    assert window.player.ready_label.text() == "Pain right now? 0-9, or Space to start"
    run(application, clock, 120.0)
    assert engine.state is EngineState.READY  # started from home: it waits for the person
    QTest.keyClick(window.player, Qt.Key.Key_3)  # pain before, by key: then a 3-2-1
    assert window.player.ready_label.text() == "Starting in 3…"
    run(application, clock, 2.5)
    assert engine.state is EngineState.READY
    run(application, clock, 0.5)
    assert engine.state is EngineState.RUNNING
    assert not window.player.ready_label.isVisibleTo(window.player)
    assert not window.player.pain_row.isVisibleTo(window.player)
    run(application, clock, 16.0)  # the first lead-in: time to get onto the mat
    assert window.player.phase_label.text() == "HOLD"
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    assert engine.state is EngineState.PAUSED
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    run(application, clock, 3.0)
    assert engine.state is EngineState.RUNNING
    QTest.keyClick(window.player, Qt.Key.Key_Right)
    assert engine.segment.kind.value == "switch"
    run(application, clock, 700.0)
    assert window.pages.currentWidget() is window.summary
    # One hold skipped: all the rest was done, and it says so honestly.
    assert window.summary.title.text() == "Part of it done."
    assert window.summary.stats.text().startswith(
        "Morning stretches: 4 of 5 exercises done · 18 of 19 reps"
    )
    window.summary.pain.button(5).click()  # two above "before": a calm note
    assert window.summary.ease_off.isVisibleTo(window.summary)
    window.summary.finish_button.click()
    assert window.pages.currentWidget() is window.home
    assert window.home.status.text() == "Done today: part of Morning stretches"
    store = application.history.store
    assert store is not None
    (session,) = store.session_summaries()
    assert (session.pain_before, session.pain_after) == (3, 5)


def test_space_types_in_the_summary_note(qtbot: QtBot, app: tuple[App, FakeClock]) -> None:
    application, _ = app
    window = application.window
    window.home.hero.click()
    current(application).controller.end()
    assert window.pages.currentWidget() is window.summary
    window.summary.note.setFocus()
    QTest.keyClicks(window.summary.note, "a b")
    assert window.summary.note.text() == "a b"


def test_session_keys_work_only_with_focus_on_the_player(
    qtbot: QtBot, app: tuple[App, FakeClock]
) -> None:
    """While a session runs, Space pauses only from the player page; anywhere else in the
    window it does what it does there (a button outside the player stands for any other
    widget). A window- or application-wide shortcut would pause here instead."""
    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Space)  # past the start screen
    run(application, clock, 6.0)
    engine = current(application).engine
    assert engine.state is EngineState.RUNNING
    elsewhere = QPushButton("Elsewhere", window)
    pressed: list[bool] = []
    elsewhere.clicked.connect(lambda: pressed.append(True))
    elsewhere.show()
    elsewhere.setFocus()
    assert QApplication.focusWidget() is elsewhere
    assert window.in_session
    QTest.keyClick(elsewhere, Qt.Key.Key_Space)
    assert pressed == [True]
    assert engine.state is EngineState.RUNNING
    window.player.setFocus()
    QTest.keyClick(window.player, Qt.Key.Key_Space)  # the same key on the player pauses
    assert engine.state is EngineState.PAUSED


def test_it_hurts_skips_the_exercise_and_says_why(app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Space)  # past the start screen
    run(application, clock, 7.0)
    QTest.keyClick(window.player, Qt.Key.Key_H)
    assert current(application).engine.segment.exercise_id == "figure-4"
    assert "pain means ease off" in window.player.notice.text()
    assert "Next: Figure-4 (piriformis) stretch." in window.player.notice.text()


def test_the_help_menu_offers_the_tips(
    qtbot: QtBot, app: tuple[App, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, _ = app
    window = application.window
    shown: list[int] = []
    monkeypatch.setattr(SafetyDialog, "exec", lambda self: shown.append(self.tabs.currentIndex()))
    (help_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert isinstance(help_menu, QMenu)
    (tips,) = [a for a in help_menu.actions() if a.text() == "&Tips for your back"]
    with qtbot.waitSignal(window.tips_requested):
        tips.trigger()
    assert shown == [SafetyTab.TIPS]


def test_print_a_handout_from_the_menu_and_from_a_card(
    qtbot: QtBot, app: tuple[App, FakeClock], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    application, _ = app
    window = application.window
    targets = iter([tmp_path / "menu.pdf", tmp_path / "card.pdf"])
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args: (str(next(targets)), args[-1])
    )
    offered: list[str] = []

    def pick(parent: object, title: str, label: str, items: list[str], *rest: object) -> object:
        offered.extend(items)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    (app_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&SI Timer"]
    assert isinstance(app_menu, QMenu)
    (item,) = [a for a in app_menu.actions() if a.text() == "&Print a handout…"]
    assert item.shortcut() == QKeySequence("Ctrl+P")
    item.trigger()
    assert offered[0] == "Morning stretches"  # the big button's routine comes first
    (notice,) = [n for n in application.notices.notices() if n.key == "handout"]
    assert (notice.text, notice.detail) == ("Handout saved", str(tmp_path / "menu.pdf"))

    def buttons() -> list[QPushButton]:
        name = "More for Full session"
        return [b for b in window.home.findChildren(QPushButton) if b.accessibleName() == name]

    qtbot.waitUntil(lambda: len(buttons()) == 1)  # cards of an earlier refresh are deleted later
    (button,) = buttons()
    menu = button.menu()
    assert menu is not None
    (card_item,) = [a for a in menu.actions() if a.text() == "Print a handout…"]
    card_item.trigger()
    (notice,) = [n for n in application.notices.notices() if n.key == "handout"]
    assert notice.detail == str(tmp_path / "card.pdf")
    assert (tmp_path / "card.pdf").read_bytes().startswith(b"%PDF")


def test_shift_arrows_skip_and_go_back_a_whole_exercise(app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(application.window.player, Qt.Key.Key_Space)  # past the start screen
    run(application, clock, 17.0)  # the first lead-in is 15 s
    engine = current(application).engine
    assert (engine.segment.exercise_id, engine.segment.side.value) == ("knee-to-chest", "left")
    for _ in range(3):  # its three sides, one press each
        QTest.keyClick(window.player, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert engine.segment.exercise_id == "figure-4"
    QTest.keyClick(window.player, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert (engine.segment.exercise_id, engine.segment.side.value) == ("knee-to-chest", "both")


def test_it_hurts_is_said_before_the_rest_and_does_not_cut_it_off(
    qtbot: QtBot, app: tuple[App, FakeClock]
) -> None:
    application, clock = app
    window = application.window
    spoken: list[str] = []
    application.outputs.spoken.connect(spoken.append)
    window.home.hero.click()
    QTest.keyClick(application.window.player, Qt.Key.Key_Space)  # past the start screen
    run(application, clock, 17.0)  # the first lead-in is 15 s
    QTest.keyClick(window.player, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: any(line.startswith("Rest,") for line in spoken), timeout=5000)
    hurt = spoken.index(HURT_SPEECH)
    assert spoken[hurt + 1].startswith("Rest, 10 seconds. Next: Figure-4")
    engine = current(application).engine
    # The rest's line queues behind "Skipping this one": it does not cut in.
    assert not any(cue.interrupt for cue in engine._cues[engine.index])


def test_r_repeats_how_to_do_the_exercise(qtbot: QtBot, app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    spoken: list[str] = []
    application.outputs.spoken.connect(spoken.append)
    window.home.hero.click()
    QTest.keyClick(application.window.player, Qt.Key.Key_Space)  # past the start screen
    run(application, clock, 17.0)  # the first lead-in is 15 s
    QTest.keyClick(window.player, Qt.Key.Key_R)
    steps = application.catalog.exercise("knee-to-chest").steps
    qtbot.waitUntil(lambda: any(steps[0] in line for line in spoken), timeout=5000)


def test_a_first_session_teaches_each_exercise(qtbot: QtBot, app: tuple[App, FakeClock]) -> None:
    application, clock = app
    spoken: list[str] = []
    application.outputs.spoken.connect(spoken.append)
    application.window.home.hero.click()
    QTest.keyClick(application.window.player, Qt.Key.Key_Space)  # past the start screen
    run(application, clock, 96.0)
    step = application.catalog.exercise("figure-4").steps[0]
    qtbot.waitUntil(lambda: any(step in line for line in spoken), timeout=5000)


def test_settings_are_saved_and_applied(app: tuple[App, FakeClock], paths: AppPaths) -> None:
    application, _ = app

    from si_timer.config.settings import Theme

    application.update_settings(replace(application.settings, theme=Theme.DARK, volume=0.5))
    saved, warnings = load_settings(paths.settings_file)
    assert warnings == []
    assert saved.theme is Theme.DARK
    assert application.palette.name == "dark"


def test_mute_silences_sound_and_voice(qtbot: QtBot, app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    outputs = application.outputs
    spoken: list[str] = []
    outputs.spoken.connect(spoken.append)
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Space)  # past the start screen
    speaker = outputs.speaker
    outputs.say("Checking the voice", interrupt=True)
    qtbot.waitUntil(lambda: "Checking the voice" in spoken, timeout=5000)
    QTest.keyClick(window.player, Qt.Key.Key_M)
    assert outputs.muted
    assert outputs.sounds.is_muted()
    assert not speaker.is_enabled()
    handed: list[str] = []
    real_say = speaker.say

    def say(text: str, interrupt: bool = False) -> None:
        handed.append(text)
        real_say(text, interrupt)

    speaker.say = say  # type: ignore[method-assign]
    run(application, clock, 17.0)  # into the first hold: its cues come due, muted
    outputs.say("Not while muted", interrupt=True)
    assert handed == []  # nothing reaches the speech engine while muted
    speaker.say = real_say  # type: ignore[method-assign]
    QTest.keyClick(window.player, Qt.Key.Key_M)
    assert not outputs.muted
    assert not outputs.sounds.is_muted()
    assert speaker.is_enabled()
    outputs.say("Back on", interrupt=True)
    qtbot.waitUntil(lambda: "Back on" in spoken, timeout=5000)


def test_too_easy_makes_the_next_session_a_little_longer(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    window = application.window
    window.home.start_requested.emit("core-strength")
    current(application).controller.end()
    window.summary.feel.button(0).click()  # "Too easy", for every exercise
    assert "Glute bridge: 6 s holds (were 5 s)" in window.summary.next_time.text()
    # An exercise's own rating wins over the session's: the wall sit felt right.
    window.summary.exercise_feel["wall-sit"].button(1).click()
    assert "Wall sit" not in window.summary.next_time.text()
    window.summary.finish_button.click()
    assert application.settings.levels["glute-bridge"] == Level(hold=6.0)
    assert application.settings.levels["pelvic-tilt"] == Level(reps=17)
    assert "wall-sit" not in application.settings.levels
    window.home.start_requested.emit("core-strength")
    holds = {
        s.seconds
        for s in current(application).plan.segments
        if s.exercise_id == "glute-bridge" and s.kind.value == "hold"
    }
    assert holds == {6.0}


def test_ratings_leave_a_prescribed_dose_as_it_was_given(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    window = application.window
    core = application.catalog.routine("core-strength")
    entries = tuple(
        replace(e, prescribed=True, hold=20) if e.exercise == "glute-bridge" else e
        for e in core.entries
    )
    application.catalog.routines["mine"] = replace(core, id="mine", entries=entries)
    window.home.start_requested.emit("mine")
    assert current(application).plan.prescribed_ids == {"glute-bridge"}
    current(application).controller.end()
    assert "glute-bridge" not in window.summary.exercise_feel
    window.summary.feel.button(0).click()  # "Too easy", for every exercise
    assert "Glute bridge" not in window.summary.next_time.text()
    assert "Pelvic tilt" in window.summary.next_time.text()
    window.summary.finish_button.click()
    assert "glute-bridge" not in application.settings.levels
    assert application.settings.levels["pelvic-tilt"] == Level(reps=17)


def test_calendar_opens_and_leads_back_home(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    window = application.window
    window.home.history_button.click()
    view = application.histories.built_page
    assert view is not None
    assert window.pages.currentWidget() is view
    view.home_requested.emit()
    assert window.pages.currentWidget() is window.home


def test_a_whole_session_rebuilds_home_only_once_it_is_seen(app: tuple[App, FakeClock]) -> None:
    """History writes during a session never rebuild the (hidden) home page."""
    application, clock = app
    window = application.window
    window.home.hero.click()
    during = application.home.rebuilds
    QTest.keyClick(window.player, Qt.Key.Key_4)  # pain before: a history write too
    run(application, clock, 700.0)
    assert window.pages.currentWidget() is window.summary
    assert application.home.rebuilds == during
    window.summary.finish_button.click()
    assert window.pages.currentWidget() is window.home
    assert application.home.rebuilds == during + 1
    assert window.home.status.text() == "Done today: Morning stretches 1 of 2"


def test_the_end_question_pauses_the_session(
    app: tuple[App, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Space)  # past the start screen
    engine = current(application).engine
    run(application, clock, 7.0)
    states: list[EngineState] = []

    def answer_no() -> bool:
        states.append(engine.state)
        clock.advance(60.0)  # the person thinks it over; nothing runs out behind the box
        return False

    monkeypatch.setattr(window, "ask_end", answer_no)
    left = engine.view().remaining
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert states == [EngineState.PAUSED]
    assert engine.state is EngineState.RESUMING  # a 3-2-1, then on
    assert engine.view().remaining == left
    monkeypatch.setattr(window, "ask_end", lambda: True)
    window.player.end_button.click()
    assert window.pages.currentWidget() is window.summary


def test_closing_the_window_in_a_session_asks_first(
    app: tuple[App, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, _ = app
    window = application.window
    window.home.hero.click()
    monkeypatch.setattr(window, "ask_end", lambda: False)
    assert not window.close()
    assert window.isVisible()
    assert application.runner.running
    monkeypatch.setattr(window, "ask_end", lambda: True)
    assert window.close()
    assert not application.runner.running


def test_the_cli_plans_what_the_app_runs(qtbot: QtBot, paths: AppPaths) -> None:
    """Settings shape a routine the same way for `si-timer plan` and for a session."""
    from si_timer.cli import main

    settings = json.loads(paths.settings_file.read_text())
    paths.settings_file.write_text(json.dumps({**settings, "lead_in": 20, "switch": 7}))
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    application = App(qapp, paths, clock=FakeClock())
    qtbot.addWidget(application.window)
    try:
        application.history  # noqa: B018
        application.start_routine("morning")
        ran = current(application).plan.to_json()
    finally:
        application.shut_down()
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(paths.data_dir.parent), "plan", "morning", "--json"]) == 0
    planned = json.loads(out.getvalue())
    assert planned == ran
    assert planned["segments"][0]["seconds"] == 20


# --- hands-free: nothing waits for a key ---------------------------------------------


def test_enter_or_next_in_a_lead_in_starts_the_exercise_now(app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Return)  # the start screen: go
    engine = current(application).engine
    assert engine.state is EngineState.RUNNING
    run(application, clock, 2.0)
    assert engine.segment.kind is SegmentKind.LEAD_IN
    QTest.keyClick(window.player, Qt.Key.Key_Return)  # in position already
    assert engine.segment.kind is SegmentKind.HOLD
    assert engine.outcomes[0] is Outcome.DONE  # ready, not "skipped"
    QTest.keyClick(window.player, Qt.Key.Key_Right)  # in the hold, Next still skips
    assert engine.outcomes[1] is Outcome.SKIPPED
    while engine.segment.kind is not SegmentKind.TRANSITION:
        QTest.keyClick(window.player, Qt.Key.Key_Right)
    moving = engine.index
    QTest.keyClick(window.player, Qt.Key.Key_Right)  # there already: on to the lead-in
    assert engine.outcomes[moving] is Outcome.DONE


def test_a_session_nobody_started_at_the_keyboard_starts_by_itself(
    app: tuple[App, FakeClock],
) -> None:
    application, clock = app
    window = application.window
    application.start_from_argument("morning")  # `si-timer start morning`, or a reminder
    engine = current(application).engine
    assert engine.state is EngineState.READY
    assert window.player.ready_label.text() == (
        "Pain right now? 0-9, or Space to start  (starts by itself in 20 s)"
    )
    run(application, clock, 19.5)
    assert engine.state is EngineState.READY
    assert window.player.ready_label.text() == "Starting in 1…"
    run(application, clock, 0.5)
    assert engine.state is EngineState.RUNNING
    assert engine.view().session_elapsed == 0.0


def test_dialogs_opened_in_a_session_pause_it(
    app: tuple[App, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    from si_timer.ui.dialogs import SafetyDialog, SettingsDialog

    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    run(application, clock, 5.0)
    engine = current(application).engine
    states: list[EngineState] = []

    def look(_dialog: object) -> int:
        states.append(engine.state)
        clock.advance(120.0)  # read at leisure: nothing runs out behind the dialog
        return 0

    monkeypatch.setattr(SettingsDialog, "exec", look)
    monkeypatch.setattr(SafetyDialog, "exec", look)
    left = engine.view().remaining
    application.edit_settings()
    assert engine.state is EngineState.RESUMING  # a 3-2-1, then on
    run(application, clock, 3.0)
    application.show_safety_again()
    assert states == [EngineState.PAUSED, EngineState.PAUSED]
    assert engine.view().remaining == left
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    assert engine.state is EngineState.PAUSED
    application.edit_settings()  # paused by the person: still paused after
    assert engine.state is EngineState.PAUSED


def test_ctrl_q_in_a_session_asks_first(
    app: tuple[App, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    run(application, clock, 2.0)
    asked: list[EngineState] = []

    def answer_no() -> bool:
        asked.append(current(application).engine.state)
        return False

    monkeypatch.setattr(window, "ask_end", answer_no)
    (quit_action,) = [a for a in window.findChildren(QAction) if a.text() == "&Quit"]
    assert quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    quit_action.trigger()  # what Ctrl+Q does
    assert asked == [EngineState.PAUSED]
    assert window.isVisible()
    assert application.runner.running


def test_mute_stays_on_screen_while_muted(app: tuple[App, FakeClock]) -> None:
    application, clock = app
    window = application.window
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_M)
    run(application, clock, 600.0)
    application.notices.expire_due()
    assert "muted" in [n.key for n in application.notices.notices()]
    QTest.keyClick(window.player, Qt.Key.Key_M)
    assert "muted" not in [n.key for n in application.notices.notices()]


def test_a_whole_core_strength_session_runs_to_the_end_with_no_key_pressed(
    qtbot: QtBot, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started from the command line, at 20x: it starts by itself, the self-paced reps
    are counted and move on, and the summary says it was all done."""
    clock = FakeClock()
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    events = paths.data_dir / "events.jsonl"
    application = App(qapp, paths, clock=clock, time_scale=20.0, events=events)
    monkeypatch.setattr(application.window, "ask_end", lambda: True)
    qtbot.addWidget(application.window)
    application.window.show()
    try:
        application.history  # noqa: B018
        application.start_from_argument("core-strength")
        plan = current(application).plan
        engine = current(application).engine
        assert any(s.kind is SegmentKind.MANUAL for s in plan.segments)
        total = application.settings.start_wait + plan.total_seconds
        run(application, clock, total / 20.0 + 1.0, step=0.05)
        window = application.window
        assert window.pages.currentWidget() is window.summary
        assert window.summary.title.text() == "Well done."
        work = [s.index for s in plan.segments if s.is_work]
        assert {engine.outcomes[i] for i in work} == {Outcome.DONE}
        lines = [json.loads(line) for line in events.read_text().splitlines()]
        ended = [e for e in lines if e["event"] == "session_ended"]
        assert [e["status"] for e in ended] == ["completed"]
        counted = [e for e in lines if e["event"] == "cue" and e.get("text") == "Fifteen."]
        assert len(counted) == 2  # both sides of the side-lying raise, counted to the end
    finally:
        application.shut_down()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_broken_settings_file_is_kept_aside_owner_only(qtbot: QtBot, paths: AppPaths) -> None:
    import stat

    paths.settings_file.write_text('{"volume": "loud", "safety_acknowledged": true}')
    paths.settings_file.chmod(0o644)
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    application = App(qapp, paths, clock=FakeClock())
    qtbot.addWidget(application.window)
    try:
        application.update_settings(replace(application.settings, volume=0.4))
    finally:
        application.shut_down()
    (kept,) = paths.config_dir.glob("settings.json.broken-*")
    assert json.loads(kept.read_text())["volume"] == "loud"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600


def test_history_that_falls_behind_is_told_and_so_is_its_catching_up(
    qtbot: QtBot, app: tuple[App, FakeClock], paths: AppPaths
) -> None:
    import sqlite3

    from si_timer.ui.notices import NoticeLevel

    application, clock = app
    window = application.window
    holder = sqlite3.connect(paths.database_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another si-timer imports a large backup
    window.home.hero.click()
    QTest.keyClick(window.player, Qt.Key.Key_Space)  # past the start screen
    run(application, clock, 20.0)
    (notice,) = [n for n in application.notices.notices() if n.key == "history-write"]
    assert notice.level is NoticeLevel.PROBLEM
    assert notice.text == "History is not being saved right now."
    assert "another si-timer" in (notice.detail or "")
    run(application, clock, 700.0)
    assert window.pages.currentWidget() is window.summary
    assert window.summary.saved_label.text() == "Saving… (will retry)"

    holder.execute("ROLLBACK")
    holder.close()
    with qtbot.waitSignal(application.history.caught_up, timeout=10_000):
        application.history.retry()  # the first slice now, the rest on the recorder's timer
    keys = {n.key: n for n in application.notices.notices()}
    assert "history-write" not in keys
    assert keys["history-caught-up"].text == "History caught up: every exercise is saved."
    assert keys["history-caught-up"].level is NoticeLevel.INFO
    assert window.summary.saved_label.text() == "Saved to your history."
    store = application.history.store
    assert store is not None
    (session,) = store.session_summaries()
    assert session.segments_done == session.segments_total


def test_test_voice_speaks_even_when_the_voice_is_off(
    qtbot: QtBot, app: tuple[App, FakeClock]
) -> None:

    from si_timer.session.verbosity import Verbosity
    from si_timer.ui.system.outputs import TEST_SPEECH

    application, _ = app
    outputs = application.outputs
    spoken: list[str] = []
    outputs.spoken.connect(spoken.append)
    chosen = replace(application.settings, voice=False, volume=0.3, verbosity=Verbosity.MINIMAL)
    outputs.test_voice(chosen)
    qtbot.waitUntil(lambda: spoken == [TEST_SPEECH[Verbosity.MINIMAL]], timeout=5000)
    assert outputs.speaker.volume() == 0.3


def test_the_report_for_the_physio_is_saved_from_the_page_and_the_menu(
    app: tuple[App, FakeClock], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    application, _ = app
    window = application.window
    summaries: list[str] = []

    def accept(dialog: ReportDialog) -> int:
        summaries.append(dialog.summary.text())
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ReportDialog, "exec", accept)
    targets = iter([tmp_path / "from-the-page.pdf", tmp_path / "from-the-menu"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(targets)), ""))
    window.home.history_button.click()
    view = application.histories.built_page
    assert view is not None
    view.report_button.click()
    assert summaries == ["No sessions in these 4 weeks."]
    (notice,) = [n for n in application.notices.notices() if n.key == "report"]
    assert (notice.text, notice.detail) == ("Report saved", str(tmp_path / "from-the-page.pdf"))

    (app_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&SI Timer"]
    assert isinstance(app_menu, QMenu)
    (item,) = [a for a in app_menu.actions() if a.text() == "Repor&t for your physio…"]
    item.trigger()
    (notice,) = [n for n in application.notices.notices() if n.key == "report"]
    assert notice.detail == str(tmp_path / "from-the-menu.pdf")
    assert (tmp_path / "from-the-menu.pdf").read_bytes().startswith(b"%PDF")


def test_an_exercise_of_your_own_shows_in_the_browser_once_saved(
    qtbot: QtBot, app: tuple[App, FakeClock], paths: AppPaths
) -> None:
    from si_timer.ui.exercise_form import ExerciseForm

    application, _clock = app
    application.show_browser()
    browser = application.exercises.built_browser
    assert browser is not None
    assert browser.edit_buttons == {}  # nothing of the person's own yet
    browser.new_button.click()
    (form,) = application.window.findChildren(ExerciseForm)
    assert form.isVisible()
    form.name.setText("My wall stretch")
    form.steps.edits()[0].setText("Lean on the wall.")
    with qtbot.waitSignal(form.exercise_saved):
        form.save_button.click()
    assert (paths.user_exercises_dir / "my-wall-stretch.yaml").is_file()
    assert "my-wall-stretch" in application.catalog.exercises
    assert "my-wall-stretch" in browser.shown_exercises()
    assert set(browser.edit_buttons) == {"my-wall-stretch"}
    qtbot.waitUntil(lambda: not application.window.findChildren(ExerciseForm))  # closed, gone
    browser.edit_buttons["my-wall-stretch"].click()
    (edit,) = application.window.findChildren(ExerciseForm)
    assert edit.name.text() == "My wall stretch"
    edit.reject()


def test_a_new_exercise_made_from_the_routine_editor_joins_the_routine(
    qtbot: QtBot, app: tuple[App, FakeClock], paths: AppPaths
) -> None:
    from si_timer.ui.exercise_form import ExerciseForm

    application, _clock = app
    application.window.home.new_routine_button.click()
    page = application.editor.editing.page
    draft = page.draft
    assert draft is not None
    before = len(draft.routine.entries)
    page.new_exercise_requested.emit()  # the picker's "New exercise…" (it closes first)
    (form,) = application.window.findChildren(ExerciseForm)
    form.name.setText("Physio hip stretch")
    form.steps.edits()[0].setText("Ease the knee across.")
    with qtbot.waitSignal(form.exercise_saved):
        form.save_button.click()
    assert "physio-hip-stretch" in application.catalog.exercises
    entries = page.draft.routine.entries if page.draft else ()
    assert len(entries) == before + 1
    assert entries[-1].exercise == "physio-hip-stretch"
    page.save()  # (unsaved, closing the window would ask)
    assert page.draft is not None
    assert not page.draft.dirty
    saved = application.catalog.routines[page.draft.routine.id]
    assert saved.entries[-1].exercise == "physio-hip-stretch"
