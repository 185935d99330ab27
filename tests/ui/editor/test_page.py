"""The editor page over a draft: reorder by keys and by drag, bounds, the prescribed
override, undo and redo, and the unsaved-changes question."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.config.settings import Settings
from si_timer.library.catalog import Catalog, load_catalog
from si_timer.library.draft import DraftSummary, RoutineDraft
from si_timer.library.model import Sides
from si_timer.records import replace
from si_timer.session.plan import Level
from si_timer.ui.editor.page import LeaveChoice, RoutineEditorPage, summary_text
from si_timer.ui.editor.rows import BADGE_ROLE, DETAIL_ROLE, RowDelegate
from si_timer.ui.theme import DARK, LIGHT

KETTLEBELL = "core-strength-kettlebell"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def page(qtbot: QtBot, catalog: Catalog) -> RoutineEditorPage:
    page = RoutineEditorPage(LIGHT, catalog.source_title)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.open(
        RoutineDraft(catalog.routine(KETTLEBELL), catalog.exercises),
        catalog.exercises,
        title="Edit routine",
        note="",
    )
    page.show()
    qtbot.waitExposed(page)
    return page


def ids(page: RoutineEditorPage) -> list[str]:
    assert page.draft is not None
    return [entry.exercise for entry in page.draft.routine.entries]


def select(page: RoutineEditorPage, exercise_id: str) -> int:
    row = ids(page).index(exercise_id)
    page.entries.setCurrentRow(row)
    return row


START = [
    "pelvic-tilt", "glute-bridge", "side-lying-leg-raise", "wall-sit", "kettlebell-lateral-swing",
]  # fmt: skip


def test_alt_arrows_move_an_entry_and_delete_removes_it(page: RoutineEditorPage) -> None:
    assert ids(page) == START
    page.entries.setFocus()
    select(page, "pelvic-tilt")
    QTest.keyClick(page.entries, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert ids(page)[:2] == ["glute-bridge", "pelvic-tilt"]
    assert page.entries.currentRow() == 1  # the moved entry stays selected
    QTest.keyClick(page.entries, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert ids(page)[:3] == ["glute-bridge", "side-lying-leg-raise", "pelvic-tilt"]
    QTest.keyClick(page.entries, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert ids(page)[:2] == ["glute-bridge", "pelvic-tilt"]
    select(page, "kettlebell-lateral-swing")
    QTest.keyClick(page.entries, Qt.Key.Key_Delete)
    assert "kettlebell-lateral-swing" not in ids(page)
    assert page.entries.count() == 4
    assert page.entries.currentRow() == 3  # the next one up is selected
    # The first row cannot go further up; nothing changes.
    page.entries.setCurrentRow(0)
    before = ids(page)
    QTest.keyClick(page.entries, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert ids(page) == before


class _Drop(QDropEvent):
    """A drop as a real drag from the list itself delivers it (a QDrag runs its own
    event loop, which an offscreen test cannot hold)."""

    def __init__(self, at: QPointF, data: QMimeData, source: QObject) -> None:
        super().__init__(
            at, Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )  # fmt: skip
        self._source = source

    def source(self) -> QObject:
        return self._source


def _drop_at(page: RoutineEditorPage, source_row: int, target_row: int, lower: bool) -> None:
    entries = page.entries
    entries.setCurrentRow(source_row)
    rect = entries.visualItemRect(entries.item(target_row))
    y = rect.bottom() - 3 if lower else rect.top() + 3
    data = entries.model().mimeData([entries.model().index(source_row, 0)])
    entries.dropEvent(_Drop(QPointF(QPoint(rect.center().x(), y)), data, entries))


def test_dragging_an_entry_moves_it_through_the_draft(page: RoutineEditorPage) -> None:
    _drop_at(page, 0, 3, lower=True)  # the first, dropped below the fourth
    assert ids(page) == [START[1], START[2], START[3], START[0], START[4]]
    assert page.entries.currentRow() == 3
    _drop_at(page, 4, 0, lower=False)  # the last, dropped above the first
    assert ids(page)[0] == "kettlebell-lateral-swing"
    _drop_at(page, 2, 2, lower=False)  # onto itself: nothing
    assert ids(page)[0] == "kettlebell-lateral-swing"
    assert page.draft is not None
    page.undo()
    page.undo()
    assert ids(page) == START


def test_the_controls_cannot_leave_the_exercises_ranges(page: RoutineEditorPage) -> None:
    select(page, "glute-bridge")
    panel = page.panel
    assert (panel.hold.minimum(), panel.hold.maximum()) == (5, 10)
    assert (panel.rest.minimum(), panel.rest.maximum()) == (60, 90)
    panel.hold.setValue(30)
    assert panel.hold.value() == 10
    assert page.draft is not None
    bridge = page.draft.routine.entries[1]
    assert bridge.hold == 10
    assert not bridge.prescribed
    panel.hold.setValue(1)
    assert page.draft.routine.entries[1].hold == 5
    assert "Hold 5 s" in page.entries.item(1).data(DETAIL_ROLE)
    assert not panel.badge.isVisibleTo(page)


def test_a_prescribed_dose_lifts_the_bounds_and_is_marked(page: RoutineEditorPage) -> None:
    row = select(page, "glute-bridge")
    panel = page.panel
    panel.prescribed.setChecked(True)
    assert page.draft is not None
    assert page.draft.routine.entries[row].prescribed
    assert panel.hold.maximum() > 10
    panel.hold.setValue(20)
    entry = page.draft.routine.entries[row]
    assert (entry.hold, entry.prescribed) == (20, True)
    assert panel.badge.isVisibleTo(page)
    assert page.entries.item(row).data(BADGE_ROLE) == "Prescribed"
    assert "prescribed" in panel.hints[panel.hold].text()
    # Taking the tick away brings the hold back inside the guide's range.
    panel.prescribed.setChecked(False)
    entry = page.draft.routine.entries[row]
    assert (entry.hold, entry.prescribed) == (10, False)
    assert panel.hold.maximum() == 10
    assert not page.entries.item(row).data(BADGE_ROLE)


def test_undo_and_redo_by_buttons_and_keys(qtbot: QtBot, page: RoutineEditorPage) -> None:
    assert not page.undo_button.isEnabled()
    assert not page.save_button.isEnabled()
    select(page, "glute-bridge")
    page.panel.hold.setValue(8)
    page.remove_entry(4)
    assert page.undo_button.isEnabled()
    assert page.save_button.isEnabled()
    page.undo_button.click()
    assert "kettlebell-lateral-swing" in ids(page)
    assert page.redo_button.isEnabled()
    page.redo_button.click()
    assert "kettlebell-lateral-swing" not in ids(page)
    page.activateWindow()
    page.entries.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.entries)
    QTest.keyClick(page.entries, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "kettlebell-lateral-swing" in ids(page)
    QTest.keyClick(page.entries, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.draft is not None
    assert page.draft.routine.entries[1].hold is None
    assert not page.draft.dirty
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(page.entries, Qt.Key.Key_Z, redo)
    assert page.draft.routine.entries[1].hold == 8


def test_details_and_the_live_summary(page: RoutineEditorPage) -> None:
    assert "kettlebell" in page.summary.text()
    before = page.summary.text()
    page.remove_entry(4)
    assert "kettlebell" not in page.summary.text()
    assert page.summary.text() != before
    assert "change" in page.summary.text()  # floor to wall: a change of position
    page.details.name.setText("My core")
    page.details.name.editingFinished.emit()
    page.details.times_per_day.setValue(2)
    page.details.rest_between.setValue(20)
    assert page.draft is not None
    routine = page.draft.routine
    assert (routine.name, routine.times_per_day, routine.rest_between) == ("My core", 2, 20)
    page.undo()
    assert page.draft.routine.rest_between == 15


def test_leaving_with_unsaved_changes_asks(
    page: RoutineEditorPage, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    asked: list[bool] = []

    def answer(choice: LeaveChoice) -> None:
        def ask(self: RoutineEditorPage) -> LeaveChoice:
            asked.append(True)
            return choice

        monkeypatch.setattr(RoutineEditorPage, "ask_leave", ask)

    answer(LeaveChoice.STAY)
    assert page.may_leave()  # nothing changed: nothing to ask
    assert not asked
    page.remove_entry(0)
    assert not page.may_leave()
    assert asked == [True]
    answer(LeaveChoice.SAVE)
    with qtbot.waitSignal(page.save_requested) as saved:
        assert not page.may_leave()  # nobody saved it: it stays
    assert [e.exercise for e in saved.args[0].entries] == START[1:]
    page.saved()
    assert page.may_leave()
    page.remove_entry(0)
    answer(LeaveChoice.DISCARD)
    assert page.may_leave()
    assert page.may_leave()  # let go: not asked twice


def test_a_new_theme_redraws_the_rows(page: RoutineEditorPage) -> None:
    select(page, "glute-bridge")
    page.set_palette(DARK)
    delegate = page.entries.itemDelegate()
    assert isinstance(delegate, RowDelegate)
    assert delegate.palette is DARK
    assert page.entries.currentRow() == 1
    assert page.entries.count() == len(START)


def test_sides_lead_in_and_side_change(page: RoutineEditorPage) -> None:
    row = select(page, "side-lying-leg-raise")
    panel = page.panel
    assert [panel.sides.itemText(i) for i in range(panel.sides.count())] == [
        "Each side", "Left only", "Right only",
    ]  # fmt: skip
    assert panel.switch.isVisibleTo(page)
    panel.lead_in.setValue(12)
    panel.switch.setValue(8)
    assert page.draft is not None
    entry = page.draft.routine.entries[row]
    assert (entry.lead_in, entry.switch) == (12, 8)
    panel.sides.setCurrentIndex(panel.sides.findText("Left only"))
    entry = page.draft.routine.entries[row]
    assert entry.sides is Sides.LEFT
    assert not panel.switch.isVisibleTo(page)  # one side: nothing to change
    assert "left only" in page.entries.item(row).data(DETAIL_ROLE)
    panel.lead_in.setValue(0)  # back to the routine's own
    assert panel.lead_in.text() == "Usual (5 s)"
    assert page.draft.routine.entries[row].lead_in is None
    # An exercise done without sides offers no side choice.
    select(page, "glute-bridge")
    assert not panel.sides.isVisibleTo(page)
    assert not panel.switch.isVisibleTo(page)


def test_the_summary_line() -> None:
    def line(exercises: int, equipment: tuple[str, ...], changes: int) -> str:
        summary = DraftSummary(
            total_seconds=725.0,
            exercises=exercises,
            equipment=equipment,
            position_changes=changes,
            prescribed=0,
            problems=(),
        )
        return summary_text(summary)

    assert line(4, ("mat", "wall"), 2) == (
        "About 12 min  ·  You need: mat, wall  ·  2 changes of position"
    )
    assert line(1, (), 1) == "About 12 min  ·  No equipment  ·  1 change of position"
    assert line(1, ("mat",), 0).endswith("no change of position")
    assert line(0, (), 0) == "Nothing to do yet"


def test_the_persons_level_is_said_beside_the_routines_choice(
    qtbot: QtBot, catalog: Catalog
) -> None:
    """Ratings move a hold within its range; the panel says so rather than let the
    routine's number look like what the session will do."""
    settings = Settings(levels={"glute-bridge": Level(hold=9)})
    page = RoutineEditorPage(LIGHT, catalog.source_title)
    qtbot.addWidget(page)
    routine = catalog.routine(KETTLEBELL)
    page.open(
        RoutineDraft(routine, catalog.exercises, settings=settings),
        catalog.exercises,
        title="Edit routine",
        note="",
    )
    select(page, "glute-bridge")
    assert page.panel.hold.value() == 9
    page.panel.hold.setValue(6)
    assert "your ratings make it 9 s" in page.panel.hints[page.panel.hold].text()


def test_an_untouched_value_stays_as_the_file_had_it(qtbot: QtBot, catalog: Catalog) -> None:
    """A hand-written 7.5 s hold and a 300 s lead-in are shown as well as a whole-second
    spin box can, and changing another field does not round or cut them."""
    routine = catalog.routine(KETTLEBELL)
    entries = list(routine.entries)
    entries[1] = replace(entries[1], hold=7.5, lead_in=300)
    page = RoutineEditorPage(LIGHT, catalog.source_title)
    qtbot.addWidget(page)
    page.open(
        RoutineDraft(replace(routine, entries=tuple(entries)), catalog.exercises),
        catalog.exercises,
        title="Edit routine",
        note="",
    )
    select(page, "glute-bridge")
    assert page.panel.lead_in.value() == 300
    page.panel.sets.setValue(2)
    assert page.draft is not None
    entry = page.draft.routine.entries[1]
    assert (entry.hold, entry.lead_in, entry.sets) == (7.5, 300, 2)
