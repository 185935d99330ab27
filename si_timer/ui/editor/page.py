"""The routine editor page: the routine's details, its exercises in order, the chosen
entry's controls and a live summary, over a :class:`RoutineDraft` that keeps every
change undoable.

The page only shows the draft and forwards intent to it; saving, and what a save
does to the library, belong to :mod:`si_timer.ui.editor.editing`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.draft import DraftSummary, RoutineDraft
from si_timer.library.model import Exercise, RoutineEntry
from si_timer.ui.editor.details import DetailsCard
from si_timer.ui.editor.entry_list import EntryList, EntryRow
from si_timer.ui.editor.entry_panel import EntryPanel, entry_dose_text
from si_timer.ui.editor.picker import ExercisePicker
from si_timer.ui.editor.thumbnails import PICKER_THUMB, Thumbnails
from si_timer.ui.theme import Palette
from si_timer.words import minutes_text


class LeaveChoice(enum.Enum):
    """What the person chose when leaving with unsaved changes."""

    SAVE = "save"
    DISCARD = "discard"
    STAY = "stay"


def summary_text(summary: DraftSummary) -> str:
    """The line under the list: "About 12 min · You need: mat, wall · 2 changes of position"."""
    if summary.exercises == 0:
        return "Nothing to do yet"
    changes = summary.position_changes
    parts = [
        f"About {minutes_text(summary.total_seconds)}",
        "You need: " + ", ".join(summary.equipment) if summary.equipment else "No equipment",
        "no change of position"
        if changes == 0
        else ("1 change of position" if changes == 1 else f"{changes} changes of position"),
    ]
    return "  ·  ".join(parts)


class RoutineEditorPage(QWidget):
    """Edits one routine at a time (:meth:`open`); built once, the first time it is needed.

    Signals:
        save_requested(object): save this :class:`Routine` (Ctrl+S, the Save button).
        close_requested(): the person wants to leave the editor (asks about unsaved
            changes first through :meth:`may_leave`).
        new_exercise_requested(): "New exercise…" in the picker.
    """

    save_requested = Signal(object)
    close_requested = Signal()
    new_exercise_requested = Signal()

    def __init__(
        self,
        palette: Palette,
        source_title: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._draft: RoutineDraft | None = None
        self._exercises: Mapping[str, Exercise] = {}
        self._source_title = source_title
        self._thumbnails = Thumbnails(palette)
        self._big_thumbnails = Thumbnails(palette, PICKER_THUMB)
        self._palette = palette
        root = QVBoxLayout(self)
        root.setContentsMargins(40, 20, 40, 16)
        root.setSpacing(12)
        root.addLayout(self._header())

        body = QHBoxLayout()
        body.setSpacing(20)
        left = QVBoxLayout()
        left.setSpacing(10)
        self.details = DetailsCard()
        self.details.edited.connect(self._commit_details)
        left.addWidget(self.details)
        tools = QHBoxLayout()
        section = QLabel("EXERCISES")
        section.setProperty("role", "section")
        tools.addWidget(section, 1)
        self.add_button = QPushButton("Add exercises…")
        self.add_button.setToolTip("Add exercises (Ctrl+N)")
        self.add_button.clicked.connect(self.pick_exercises)
        self.up_button = QPushButton("Move up")
        self.up_button.setToolTip("Move the selected exercise up (Alt+Up)")
        self.up_button.clicked.connect(lambda: self._move_selected(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.setToolTip("Move the selected exercise down (Alt+Down)")
        self.down_button.clicked.connect(lambda: self._move_selected(1))
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected exercise (Delete)")
        self.remove_button.setProperty("tone", "danger")
        self.remove_button.clicked.connect(self._remove_selected)
        for button in (self.up_button, self.down_button, self.remove_button, self.add_button):
            button.setProperty("size", "small")
            tools.addWidget(button)
        left.addLayout(tools)
        self.entries = EntryList(palette, self._thumbnails.size)
        self.entries.move_requested.connect(self.move_entry)
        self.entries.remove_requested.connect(self.remove_entry)
        self.entries.currentRowChanged.connect(self._show_current)
        left.addWidget(self.entries, 1)
        self.empty = QLabel("No exercises yet. Add some with “Add exercises…”.")
        self.empty.setProperty("role", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left.addWidget(self.empty, 1)
        body.addLayout(left, 3)
        self.panel = EntryPanel(palette)
        self.panel.entry_edited.connect(self._entry_edited)
        body.addWidget(self.panel, 2)
        body.setStretch(0, 3)
        root.addLayout(body, 1)

        self.summary = QLabel()
        self.summary.setProperty("role", "summary")
        self.summary.setAccessibleName("Summary")
        root.addWidget(self.summary)
        # What stops a save, or why the last change was refused, in a person's words.
        self.problem = QLabel()
        self.problem.setProperty("role", "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        root.addWidget(self.problem)
        self._keys()

    # --- building --------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(10)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = QLabel("Edit routine")
        self.title.setProperty("role", "title")
        self.note = QLabel()
        self.note.setProperty("role", "muted")
        self.note.setWordWrap(True)
        titles.addWidget(self.title)
        titles.addWidget(self.note)
        header.addLayout(titles, 1)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Undo (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)
        self.redo_button = QPushButton("Redo")
        self.redo_button.setToolTip("Redo (Ctrl+Shift+Z)")
        self.redo_button.clicked.connect(self.redo)
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Back to the home page")
        self.close_button.clicked.connect(self.close_requested)
        self.save_button = QPushButton("Save")
        self.save_button.setProperty("role", "primary")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        for button in (self.undo_button, self.redo_button, self.close_button, self.save_button):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return header

    def _keys(self) -> None:
        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        # Named keys, not the platform's standard ones: those include Ctrl+Shift+Z on some
        # desktops only, and a key bound twice fires neither binding.
        for keys, slot in (
            ("Ctrl+Z", self.undo),
            ("Ctrl+Shift+Z", self.redo),
            ("Ctrl+Y", self.redo),
            ("Ctrl+S", self.save),
            ("Ctrl+N", self.pick_exercises),
        ):
            QShortcut(QKeySequence(keys), self, context=scope).activated.connect(slot)

    def set_palette(self, palette: Palette) -> None:
        """A new theme: figures and rows are drawn in its colours."""
        self._palette = palette
        self._thumbnails = Thumbnails(palette)
        self._big_thumbnails = Thumbnails(palette, PICKER_THUMB)
        self.entries.set_palette(palette)
        self.panel.figure.set_palette(palette)
        self._refresh()

    # --- the draft -------------------------------------------------------------

    @property
    def draft(self) -> RoutineDraft | None:
        return self._draft

    def open(
        self, draft: RoutineDraft, exercises: Mapping[str, Exercise], *, title: str, note: str
    ) -> None:
        """Edit ``draft``; ``note`` says what saving will do (a bundled routine, a new one)."""
        self._draft = draft
        self._exercises = exercises
        self.title.setText(title)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._refresh(0)

    def focus_first(self) -> None:
        """Once shown: the list, where the keys work (the name, for a new routine)."""
        if self._draft is not None and self._draft.routine.entries:
            self.entries.setFocus()
        else:
            self.details.name.setFocus()
            self.details.name.selectAll()

    def _refresh(self, current: int | None = None) -> None:
        """Show the draft as it now is; ``current``: the entry to select (else the same)."""
        draft = self._draft
        if draft is None:
            return
        routine = draft.routine
        row = self.entries.currentRow() if current is None else current
        rows = [self._row(draft, i) for i in range(len(routine.entries))]
        self.entries.set_rows(rows, row)
        self.entries.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.details.show_routine(routine)
        self._show_current(self.entries.currentRow())
        self.undo_button.setEnabled(draft.can_undo)
        self.redo_button.setEnabled(draft.can_redo)
        summary = draft.summary()
        self.save_button.setEnabled(draft.dirty and not summary.problems)
        self.summary.setText(summary_text(summary))
        self.problem.setText("  ".join(summary.problems))
        self.problem.setVisible(bool(summary.problems))

    def _row(self, draft: RoutineDraft, index: int) -> EntryRow:
        entry = draft.routine.entries[index]
        exercise = self._exercises[entry.exercise]
        return EntryRow(
            name=exercise.name,
            dose=entry_dose_text(entry, exercise, draft.dose(index)),
            icon=self._thumbnails.icon(exercise),
            prescribed=entry.prescribed,
        )

    def _show_current(self, row: int) -> None:
        draft = self._draft
        entries = draft.routine.entries if draft is not None else ()
        if draft is None or not 0 <= row < len(entries):
            self.panel.show_entry(None, None, None)
        else:
            routine = draft.routine
            entry = entries[row]
            self.panel.show_entry(
                entry,
                self._exercises[entry.exercise],
                draft.limits(row),
                draft.dose(row),
                routine_lead_in=routine.lead_in,
                routine_switch=routine.switch,
            )
        has = 0 <= row < len(entries)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(entries) - 1)

    # --- changes -----------------------------------------------------------------

    def _commit_details(self) -> None:
        draft = self._draft
        if draft is None:
            return
        changes = self.details.changes(draft.routine)
        if changes:
            # A spin box's every step is one change to undo, not one per click.
            numbers = not {"name", "description"} & set(changes)
            self._apply(lambda: draft.set_details(merge=numbers, **changes))

    def _apply(self, change: Callable[[], object], current: int | None = None) -> bool:
        """Make one change to the draft and show it; a change the draft refuses (its
        message says why) is shown instead, and the controls go back to the draft."""
        try:
            change()
        except ValueError as exc:
            self._refresh(current)
            self.problem.setText(f"Not changed: {exc}")
            self.problem.show()
            return False
        self._refresh(current)
        return True

    def _entry_edited(self, entry: RoutineEntry) -> None:
        row = self.entries.currentRow()
        draft = self._draft
        if draft is not None and row >= 0:
            # A flag's tick is a change of its own; a spin box's steps fold into one.
            merge = entry.prescribed == draft.routine.entries[row].prescribed
            self._apply(lambda: draft.set_entry(row, entry, merge=merge), row)

    def move_entry(self, index: int, to: int) -> None:
        draft = self._draft
        if draft is not None:
            self._apply(lambda: draft.move(index, to), to)

    def remove_entry(self, index: int) -> None:
        draft = self._draft
        if draft is not None:
            self._apply(lambda: draft.remove(index), index)  # the next one, or the new last

    def add_exercises(self, exercise_ids: list[str]) -> None:
        """Add after the selected entry (at the end if none), in the order given."""
        draft = self._draft
        if draft is None or not exercise_ids:
            return
        row = self.entries.currentRow()
        at = row + 1 if row >= 0 else len(draft.routine.entries)
        added = self._apply(
            lambda: [draft.add(exercise_id, at + n) for n, exercise_id in enumerate(exercise_ids)],
            at + len(exercise_ids) - 1,
        )
        if added:
            self.entries.setFocus()

    def _move_selected(self, step: int) -> None:
        row = self.entries.currentRow()
        if self._draft is not None and 0 <= row + step < len(self._draft.routine.entries):
            self.move_entry(row, row + step)
            self.entries.setFocus()

    def _remove_selected(self) -> None:
        row = self.entries.currentRow()
        if row >= 0:
            self.remove_entry(row)
            self.entries.setFocus()

    def undo(self) -> None:
        self._commit_details()
        if self._draft is not None and self._draft.can_undo:
            self._draft.undo()
            self._refresh()

    def redo(self) -> None:
        if self._draft is not None and self._draft.can_redo:
            self._draft.redo()
            self._refresh()

    def pick_exercises(self) -> None:
        picker = self.make_picker()
        if picker.exec():
            self.add_exercises(picker.chosen())

    def make_picker(self) -> ExercisePicker:
        """The add-exercise picker over the library's exercises (tests drive it directly)."""
        picker = ExercisePicker(
            self._exercises, self._source_title, self._big_thumbnails, self._palette, self
        )
        picker.new_exercise.setVisible(self._new_exercise_available)
        picker.new_exercise_requested.connect(self.new_exercise_requested)
        return picker

    _new_exercise_available = False

    def set_new_exercise_available(self, available: bool) -> None:
        """Show "New exercise…" in the picker: only once something answers the signal."""
        self._new_exercise_available = available

    # --- saving and leaving --------------------------------------------------------

    def save(self) -> None:
        self._commit_details()
        draft = self._draft
        if draft is None or not draft.dirty:
            return
        if not draft.routine.name.strip():
            self.details.name.setFocus()
            return
        self.save_requested.emit(draft.routine)

    def saved(self) -> None:
        """The routine as it stands was written: no unsaved changes any more."""
        if self._draft is not None:
            self._draft.mark_saved()
            self._refresh()

    @property
    def dirty(self) -> bool:
        self._commit_details()
        return self._draft is not None and self._draft.dirty

    def may_leave(self) -> bool:
        """True if the page may be left: nothing unsaved, or saved, or let go."""
        if not self.dirty:
            return True
        choice = self.ask_leave()
        if choice is LeaveChoice.SAVE:
            self.save()
            return not self.dirty  # a failed save stays on the page
        if choice is LeaveChoice.DISCARD:
            self._draft = None  # let go: the next open brings a fresh draft
            return True
        return False

    def ask_leave(self) -> LeaveChoice:
        """Ask what to do with unsaved changes (tests replace this)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        name = self._draft.routine.name if self._draft is not None else "this routine"
        box.setText(f"Save your changes to “{name}”?")
        box.setInformativeText("If you don't, they are lost.")
        save = box.addButton("Save", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Don't save", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return LeaveChoice.SAVE
        if clicked is discard:
            return LeaveChoice.DISCARD
        return LeaveChoice.STAY
