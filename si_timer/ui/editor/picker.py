"""Choosing exercises to add to a routine: every exercise with its figure, narrowed by
position, equipment, category, source or a word of its name.

A dialog, so the routine being edited stays where it was behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.model import Category, Exercise, Posture
from si_timer.records import record
from si_timer.ui.editor.rows import DETAIL_ROLE, RowDelegate
from si_timer.ui.editor.thumbnails import Thumbnails
from si_timer.ui.theme import Palette
from si_timer.words import dose_text

MAT_ONLY = "\x00mat-only"  # the "nothing but a mat" choice, which no item can be called
YOURS = "\x00yours"  # the person's own exercises, whatever their source says


@record(frozen=True)
class PickerFilter:
    """What the picker lets through; None (or empty) lets everything through."""

    posture: Posture | None = None
    equipment: str | None = None  # an item, or MAT_ONLY
    category: Category | None = None
    source: str | None = None  # a source id, or YOURS
    words: str = ""

    def admits(self, exercise: Exercise) -> bool:
        if self.posture is not None and exercise.posture is not self.posture:
            return False
        if self.equipment == MAT_ONLY:
            if not set(exercise.equipment) <= {"mat"}:
                return False
        elif self.equipment is not None and self.equipment not in exercise.equipment:
            return False
        if self.category is not None and exercise.category is not self.category:
            return False
        if self.source == YOURS:
            if exercise.origin is None or exercise.origin.bundled:
                return False
        elif self.source is not None and exercise.source != self.source:
            return False
        words = self.words.strip().lower()
        return not words or words in f"{exercise.name} {exercise.short_name or ''}".lower()


class ExercisePicker(QDialog):
    """Lists ``exercises``; Add (or Enter, or a double click) closes it with the chosen
    ones in :meth:`chosen`, in the list's order.

    Signals:
        new_exercise_requested(): "New exercise…" was clicked; the dialog closes first.
    """

    new_exercise_requested = Signal()

    def __init__(
        self,
        exercises: Mapping[str, Exercise],
        source_title: Callable[[str], str],
        thumbnails: Thumbnails,
        palette: Palette,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add exercises — SI Timer")
        self.resize(820, 620)
        self._exercises = sorted(exercises.values(), key=lambda e: e.name.lower())
        root = QVBoxLayout(self)
        root.setContentsMargins(24, 20, 24, 16)
        root.setSpacing(12)
        title = QLabel("Add exercises")
        title.setProperty("role", "title")
        root.addWidget(title)

        self.words = QLineEdit()
        self.words.setPlaceholderText("Find by name")
        self.words.setAccessibleName("Find an exercise by name")
        self.words.setClearButtonEnabled(True)
        root.addWidget(self.words)
        filters = QHBoxLayout()
        filters.setSpacing(10)
        self.posture = self._combo("Position", "Every position")
        present = {e.posture for e in self._exercises if e.posture is not None}
        for posture in Posture:
            if posture in present:
                self.posture.addItem(posture.instruction, posture.value)
        self.equipment = self._combo("Equipment", "Any equipment")
        self.equipment.addItem("Nothing but a mat", MAT_ONLY)
        things = sorted({thing for e in self._exercises for thing in e.equipment} - {"mat"})
        for thing in things:
            self.equipment.addItem(f"With a {thing}", thing)
        self.category = self._combo("Kind", "Every kind")
        for category in Category:
            if any(e.category is category for e in self._exercises):
                self.category.addItem(category.value.capitalize(), category.value)
        self.source = self._combo("Source", "Every source")
        if any(e.origin is not None and not e.origin.bundled for e in self._exercises):
            self.source.addItem("Your own exercises", YOURS)
        for source in sorted({e.source for e in self._exercises}):
            title_text = source_title(source)
            self.source.addItem(_short(title_text), source)
            self.source.setItemData(
                self.source.count() - 1, title_text, Qt.ItemDataRole.ToolTipRole
            )
        for combo in (self.posture, self.equipment, self.category, self.source):
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self._filter)
        self.words.textChanged.connect(self._filter)
        root.addLayout(filters)

        self.list = QListWidget()
        self.list.setAccessibleName("Exercises")
        self.list.setIconSize(thumbnails.size)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSpacing(1)
        self.list.setItemDelegate(RowDelegate(palette, thumbnails.size, self.list))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        for exercise in self._exercises:
            item = QListWidgetItem(thumbnails.icon(exercise), exercise.name)
            needs = ", ".join(exercise.equipment) or "nothing"
            item.setData(
                DETAIL_ROLE,
                f"{exercise.position} · {dose_text(exercise.dose)}\n"
                f"{exercise.category.value.capitalize()} · needs {needs}",
            )
            item.setData(Qt.ItemDataRole.UserRole, exercise.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, exercise.name)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.itemSelectionChanged.connect(self._selection_changed)
        root.addWidget(self.list, 1)
        self.empty = QLabel("No exercise fits all of these; try fewer filters.")
        self.empty.setProperty("role", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        root.addWidget(self.empty)

        buttons = QHBoxLayout()
        self.new_exercise = QPushButton("New exercise…")
        self.new_exercise.setAccessibleName("Make a new exercise of your own")
        self.new_exercise.clicked.connect(self._new_exercise)
        buttons.addWidget(self.new_exercise)
        buttons.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons.addWidget(cancel)
        self.add_button = QPushButton("Add")
        self.add_button.setProperty("role", "primary")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.accept)
        buttons.addWidget(self.add_button)
        root.addLayout(buttons)
        self._selection_changed()
        self.list.setFocus()

    def _combo(self, name: str, every: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(every, None)
        return combo

    # --- filtering -------------------------------------------------------------

    def current_filter(self) -> PickerFilter:
        posture = self.posture.currentData()
        category = self.category.currentData()
        return PickerFilter(
            posture=Posture(posture) if posture else None,
            equipment=self.equipment.currentData() or None,
            category=Category(category) if category else None,
            source=self.source.currentData() or None,
            words=self.words.text(),
        )

    def _filter(self) -> None:
        wanted = self.current_filter()
        shown = 0
        for row, exercise in enumerate(self._exercises):
            item = self.list.item(row)
            admitted = wanted.admits(exercise)
            item.setHidden(not admitted)
            if not admitted:
                item.setSelected(False)
            shown += admitted
        self.empty.setVisible(shown == 0)
        self._selection_changed()

    def shown_exercises(self) -> list[str]:
        return [
            self._exercises[row].id
            for row in range(self.list.count())
            if not self.list.item(row).isHidden()
        ]

    # --- choosing --------------------------------------------------------------

    def select(self, exercise_ids: list[str]) -> None:
        for row, exercise in enumerate(self._exercises):
            self.list.item(row).setSelected(exercise.id in exercise_ids)

    def chosen(self) -> list[str]:
        return [
            self._exercises[row].id
            for row in range(self.list.count())
            if self.list.item(row).isSelected() and not self.list.item(row).isHidden()
        ]

    def _selection_changed(self) -> None:
        count = len(self.chosen())
        self.add_button.setEnabled(count > 0)
        self.add_button.setText("Add" if count <= 1 else f"Add {count}")

    def _new_exercise(self) -> None:
        self.reject()
        self.new_exercise_requested.emit()


def _short(title: str, limit: int = 40) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
