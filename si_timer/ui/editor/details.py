"""The routine's own details in the editor: name, description, times a day and the
rest between exercises."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from si_timer.library.model import Routine

MAX_TIMES_PER_DAY = 6  # a goal beyond this is not a goal for a few minutes' routine
MAX_REST_BETWEEN = 300


class DetailsCard(QFrame):
    """Shows a routine's details and says when the person has changed one.

    Text is taken when the person leaves the field (one change per edit, not per key);
    the spin boxes as they change.

    Signals:
        edited(): a detail was changed; read the changes with :meth:`changes`.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 14, 18, 14)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        self.name = QLineEdit()
        self.name.setAccessibleName("Routine name")
        self.name.setPlaceholderText("A name you will recognise")
        self.name.editingFinished.connect(self.edited)
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("What it is for, when to do it (optional)")
        self.description.setTabChangesFocus(True)
        # Two lines, and a scroll bar for more: the list below needs the room.
        lines = self.description.fontMetrics().lineSpacing()
        self.description.setFixedHeight(2 * lines + 26)
        self.description.installEventFilter(self)
        self.times_per_day = QSpinBox()
        self.times_per_day.setAccessibleName("Times a day")
        self.times_per_day.setRange(0, MAX_TIMES_PER_DAY)
        self.times_per_day.setSpecialValueText("No goal")
        self.times_per_day.setSuffix(" a day")
        self.times_per_day.valueChanged.connect(self.edited)
        self.rest_between = QSpinBox()
        self.rest_between.setAccessibleName("Rest between exercises, seconds")
        self.rest_between.setRange(0, MAX_REST_BETWEEN)
        self.rest_between.setSuffix(" s")
        self.rest_between.setKeyboardTracking(False)
        self.rest_between.valueChanged.connect(self.edited)
        for row, (text, widget) in enumerate(
            (("&Name", self.name), ("&Description", self.description))
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1, 1, 3)
        for col, (text, box) in enumerate(
            (("&Times a day", self.times_per_day), ("&Rest between exercises", self.rest_between))
        ):
            label = QLabel(text)
            label.setBuddy(box)
            grid.addWidget(label, 2, col * 2)
            grid.addWidget(box, 2, col * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.description and event.type() == QEvent.Type.FocusOut:
            self.edited.emit()
        return False

    def show_routine(self, routine: Routine) -> None:
        """Show ``routine``'s details; text being typed is left alone if it says the same."""
        boxes = (self.name, self.description, self.times_per_day, self.rest_between)
        for widget in boxes:
            widget.blockSignals(True)
        if self.name.text().strip() != routine.name:
            self.name.setText(routine.name)
        if self.description.toPlainText().strip() != routine.description:
            self.description.setPlainText(routine.description)
        self.times_per_day.setValue(routine.times_per_day or 0)
        self.rest_between.setValue(round(routine.rest_between))
        for widget in boxes:
            widget.blockSignals(False)

    def changes(self, routine: Routine) -> dict[str, object]:
        """What the fields say differently from ``routine``, as routine fields.  An
        empty name is no change: a routine always has one."""
        changes: dict[str, object] = {}
        name = self.name.text().strip()
        if name and name != routine.name:
            changes["name"] = name
        description = self.description.toPlainText().strip()
        if description != routine.description:
            changes["description"] = description
        times = self.times_per_day.value() or None
        if times != routine.times_per_day:
            changes["times_per_day"] = times
        if self.rest_between.value() != routine.rest_between:
            changes["rest_between"] = float(self.rest_between.value())
        return changes
