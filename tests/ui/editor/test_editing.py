"""The editor in the app: from a home card to a saved routine the player runs, the
unsaved-changes guard, new, duplicate, rename, delete with undo, and reset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.library.catalog import load_catalog
from si_timer.session.clock import FakeClock
from si_timer.session.engine import EngineState
from si_timer.session.options import plan_for
from si_timer.session.plan import SegmentKind
from si_timer.ui.app import App
from si_timer.ui.editor.editing import RoutineEditing
from si_timer.ui.editor.page import LeaveChoice, RoutineEditorPage
from si_timer.ui.home import RoutineAction
from tests.helpers.qt_messages import BACKEND_PROBE_WARNINGS

pytestmark = pytest.mark.qt_log_ignore(*BACKEND_PROBE_WARNINGS)

KETTLEBELL = "core-strength-kettlebell"
SWING = "kettlebell-lateral-swing"


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    paths = resolve_paths(tmp_path / "data")
    paths.config_dir.mkdir(parents=True)
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
    monkeypatch.setattr(application.window, "ask_end", lambda: True)
    # Closing the window at the end of a test lets unsaved edits go.
    monkeypatch.setattr(RoutineEditorPage, "ask_leave", lambda self: LeaveChoice.DISCARD)
    monkeypatch.setattr(RoutineEditing, "confirm", lambda self, *args: True)
    qtbot.addWidget(application.window)
    application.window.resize(1366, 768)
    application.window.show()
    application.history  # noqa: B018 - run_app opens it once the window has painted
    yield application, clock
    application.shut_down()


def card_button(application: App, name: str) -> QPushButton:
    # Cards the home page rebuilt are deleted later: let that happen first.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    (button,) = [
        b for b in application.window.home.findChildren(QPushButton) if b.accessibleName() == name
    ]
    return button


def ids(page: RoutineEditorPage) -> list[str]:
    assert page.draft is not None
    return [entry.exercise for entry in page.draft.routine.entries]


def run(application: App, clock: FakeClock, seconds: float, step: float = 0.5) -> None:
    for _ in range(round(seconds / step)):
        clock.advance(step)
        run_ = application.runner.run
        if run_ is None or run_.ended is not None:
            return
        run_.controller._wake()  # the timer's own slot: what a real wake does


START_UP = """
import sys
from PySide6.QtWidgets import QApplication
from si_timer.config.paths import resolve_paths
from si_timer.ui.app import App
app = App(QApplication([]), resolve_paths())
print(sorted(m for m in sys.modules if m.startswith("si_timer.ui.editor")))
app.shut_down()
"""


def test_start_up_loads_nothing_of_the_editor(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SI_TIMER_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", START_UP], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_editor_is_built_only_when_first_opened(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    assert application.editor.built is None
    card_button(application, "Edit Core strength").click()
    assert application.editor.editing.is_built
    assert application.window.pages.currentWidget() is application.editor.editing.page


def test_leave_out_the_swing_hold_the_bridge_longer_save_and_run_it(
    qtbot: QtBot, app: tuple[App, FakeClock], paths: AppPaths
) -> None:
    """The issue's "done when", without YAML: take the core strength routine with the
    kettlebell, remove the swing, lengthen the glute bridge's hold within its range,
    save, and the home page and the player use the new routine."""
    application, clock = app
    window = application.window
    card_button(application, "Edit Core strength with kettlebell (intermediate)").click()
    page = application.editor.editing.page
    assert window.pages.currentWidget() is page
    assert "came with SI Timer" in page.note.text()
    page.entries.setFocus()
    page.entries.setCurrentRow(ids(page).index(SWING))
    QTest.keyClick(page.entries, Qt.Key.Key_Delete)
    assert SWING not in ids(page)
    page.entries.setCurrentRow(ids(page).index("glute-bridge"))
    hold = page.panel.hold
    assert (hold.value(), hold.maximum()) == (5, 10)
    hold.stepBy(3)
    assert hold.value() == 8
    assert "kettlebell" not in page.summary.text()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.entries)
    QTest.keyClick(page.entries, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = paths.user_routines_dir / f"{KETTLEBELL}.yaml"
    assert saved.is_file()
    assert not page.save_button.isEnabled()  # nothing left unsaved
    # What was written loads back, through the same loader, as what was edited.
    assert page.draft is not None
    assert (
        load_catalog(paths.user_exercises_dir, paths.user_routines_dir).routines[KETTLEBELL]
        == page.draft.routine
    )
    # The app reloaded its library: the player's and the home page's routine is the new one.
    routine = application.catalog.routine(KETTLEBELL)
    assert [e.exercise for e in routine.entries] == [
        "pelvic-tilt", "glute-bridge", "side-lying-leg-raise", "wall-sit",
    ]  # fmt: skip
    assert application.catalog.is_changed_bundled(KETTLEBELL)
    page.close_button.click()
    assert window.pages.currentWidget() is window.home
    names = [label.text() for label in window.home.findChildren(QLabel)]
    assert "Core strength with kettlebell (intermediate)  ·  your version" in names
    plan = plan_for(routine, application.catalog.exercises, application.settings)
    bridge = [
        s.seconds
        for s in plan.segments
        if s.exercise_id == "glute-bridge" and s.kind is SegmentKind.HOLD
    ]
    assert bridge == [8.0, 8.0, 8.0]
    assert SWING not in plan.exercise_ids

    # And a session runs it from start to finish.
    application.start_routine(KETTLEBELL)
    run_ = application.runner.run
    assert run_ is not None
    assert run_.plan.exercise_ids == plan.exercise_ids
    QTest.keyClick(window.player, Qt.Key.Key_Space)
    run(application, clock, plan.total_seconds + 120)
    assert run_.engine.state is EngineState.FINISHED
    assert window.pages.currentWidget() is window.summary
    assert window.summary.stats.text().startswith(
        "Core strength with kettlebell (intermediate): 4 of 4 exercises done"
    )


def test_unsaved_changes_are_asked_about_wherever_the_person_goes(
    app: tuple[App, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, _ = app
    window = application.window
    card_button(application, "Edit Core strength").click()
    page = application.editor.editing.page
    page.remove_entry(0)
    asked: list[str] = []

    def stay(self: RoutineEditorPage) -> LeaveChoice:
        asked.append("asked")
        return LeaveChoice.STAY

    monkeypatch.setattr(RoutineEditorPage, "ask_leave", stay)
    for leave in (
        window.home_requested.emit,
        window.history_requested.emit,
        window.browser_requested.emit,
        lambda: application.start_routine("morning"),
        page.close_button.click,
    ):
        leave()
        assert window.pages.currentWidget() is page
    assert len(asked) == 5
    assert not window.close()  # the window stays open too
    assert len(asked) == 6
    monkeypatch.setattr(RoutineEditorPage, "ask_leave", lambda self: LeaveChoice.DISCARD)
    page.close_button.click()
    assert window.pages.currentWidget() is window.home
    # Nothing was written: the routine is as it came.
    assert not application.paths.user_routines_dir.joinpath("core-strength.yaml").exists()
    assert not application.catalog.is_changed_bundled("core-strength")


def test_a_new_routine_is_the_persons_own(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    window = application.window
    window.home.new_routine_button.click()
    page = application.editor.editing.page
    assert page.title.text() == "New routine"
    assert ids(page) == []
    assert page.empty.isVisibleTo(page)
    page.details.name.setText("Before bed")
    page.details.name.editingFinished.emit()
    page.add_exercises(["knee-to-chest", "cat-cow"])
    assert ids(page) == ["knee-to-chest", "cat-cow"]
    page.save_button.click()
    (routine,) = [r for r in application.catalog.routines.values() if r.name == "Before bed"]
    assert application.catalog.is_own(routine.id)
    page.close_button.click()
    assert card_button(application, "Start Before bed").accessibleName() == "Start Before bed"
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    names = [label.text() for label in window.home.findChildren(QLabel)]
    assert "Before bed  ·  yours" in names


def test_duplicate_rename_delete_and_undo(
    app: tuple[App, FakeClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    application, _ = app
    window = application.window
    window.home.routine_action_requested.emit(RoutineAction.DUPLICATE, "morning")
    catalog = application.catalog
    (copy,) = [r for r in catalog.routines.values() if catalog.is_own(r.id)]
    assert copy.entries == catalog.routine("morning").entries
    page = application.editor.editing.page
    assert window.pages.currentWidget() is page  # the copy opens to be changed
    page.close_button.click()
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("Mornings, mine", True))
    window.home.routine_action_requested.emit(RoutineAction.RENAME, copy.id)
    assert application.catalog.routine(copy.id).name == "Mornings, mine"
    window.home.routine_action_requested.emit(RoutineAction.DELETE, copy.id)
    assert copy.id not in application.catalog.routines
    (notice,) = [n for n in application.notices.notices() if n.action == "Undo"]
    assert "Mornings, mine" in notice.text
    application.notices.act(notice.key)
    assert application.catalog.routine(copy.id).name == "Mornings, mine"


def test_reset_brings_the_original_back(app: tuple[App, FakeClock]) -> None:
    application, _ = app
    card_button(application, "Edit Evening stretches").click()
    page = application.editor.editing.page
    page.remove_entry(0)
    page.save()
    assert application.catalog.is_changed_bundled("evening")
    page.close_button.click()
    application.window.home.routine_action_requested.emit(RoutineAction.RESET, "evening")
    assert not application.catalog.is_changed_bundled("evening")
    assert application.catalog.routine("evening") == application.catalog.bundled_routines["evening"]


def test_an_exercise_made_while_editing_can_be_added_at_once(
    qtbot: QtBot, app: tuple[App, FakeClock], paths: AppPaths
) -> None:
    """The exercise form (elsewhere) answers "New exercise…": once it has saved a file
    and the library is reloaded, the open routine can take it without starting over."""
    application, _ = app
    card_button(application, "Edit Core strength").click()
    editing = application.editor.editing
    page = editing.page
    page.remove_entry(0)  # an unsaved change, which must survive the reload
    assert not page.make_picker().new_exercise.isVisibleTo(page)
    editing.offer_new_exercise()
    picker = page.make_picker()
    picker.show()
    with qtbot.waitSignal(editing.new_exercise_requested):
        picker.new_exercise.click()
    bridge = paths.user_exercises_dir / "my-bridge.yaml"
    bridge.parent.mkdir(parents=True, exist_ok=True)
    original = Path(__file__).parents[3] / "content" / "exercises" / "glute-bridge.yaml"
    text = original.read_text().replace("id: glute-bridge", "id: my-bridge")
    bridge.write_text(text.replace("name: Glute bridge", "name: My bridge", 1))
    application.reload_library()
    assert "my-bridge" in page.make_picker().shown_exercises()
    editing.add_to_routine("my-bridge")
    assert "my-bridge" in ids(page)
    assert "pelvic-tilt" not in ids(page)  # the earlier change is still there
    assert page.draft is not None
    assert page.draft.can_undo
