"""The exercise form's small editors: a range of two spin boxes, a list of short lines,
and a list of timed phases. Each says when it changed; none knows about exercises.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.model import Range, TempoPhase

MAX_LINE = 90  # characters in one step or caution: enough to say one thing, read in a hold
LABEL_WIDTH = 150  # every form row's label, so the fields of all sections line up


def form_rows() -> QFormLayout:
    """A form whose labels sit at the top of their rows (beside a field's first line)."""
    form = QFormLayout()
    form.setHorizontalSpacing(14)
    form.setVerticalSpacing(8)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def row_label(text: str) -> QLabel:
    """A form row's label, as wide as every other one in the form."""
    label = QLabel(text)
    label.setFixedWidth(LABEL_WIDTH)
    label.setFixedHeight(38)  # about a field's height: the words sit level with its text
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    """The place under a field where the loader's message about it shows."""
    label = QLabel()
    label.setProperty("role", "field-error")
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def _small_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("role", "row-tool")
    button.setAccessibleName(name)
    button.setToolTip(name)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class RangeEdit(QWidget):
    """ "from [5] to [10] s": two spin boxes that never let the low end pass the high end.

    Signals:
        changed(): either end moved.
    """

    changed = Signal()

    def __init__(self, unit: str, *, minimum: int = 1, maximum: int = 900, name: str = "") -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.low = QSpinBox()
        self.high = QSpinBox()
        for box, end in ((self.low, "shortest"), (self.high, "longest")):
            box.setRange(minimum, maximum)
            box.setAccessibleName(f"{name}, {end}" if name else end)
            box.setMinimumWidth(84)
        row.addWidget(QLabel("from"))
        row.addWidget(self.low)
        row.addWidget(QLabel("to"))
        row.addWidget(self.high)
        if unit:
            row.addWidget(QLabel(unit))
        row.addStretch(1)
        self.low.valueChanged.connect(self._low_moved)
        self.high.valueChanged.connect(self._high_moved)

    def value(self) -> Range:
        return Range(float(self.low.value()), float(self.high.value()))

    def set_value(self, value: Range) -> None:
        self.high.setValue(round(value.max))
        self.low.setValue(round(value.min))
        self.high.setValue(round(value.max))

    def _low_moved(self, low: int) -> None:
        if low > self.high.value():
            self.high.setValue(low)
        self.changed.emit()

    def _high_moved(self, high: int) -> None:
        if high < self.low.value():
            self.low.setValue(high)
        self.changed.emit()


class LineListEditor(QWidget):
    """A short numbered list of one-line texts: add, remove and move lines up or down.

    Blank lines are left out of :meth:`lines`, so an empty row added by mistake costs nothing.

    Signals:
        changed(): a line was typed, added, removed or moved.
    """

    changed = Signal()

    def __init__(self, noun: str, *, max_lines: int = 8) -> None:
        super().__init__()
        self._noun = noun
        self._max = max_lines
        self._edits: list[QLineEdit] = []
        self._numbers: list[QLabel] = []  # beside each edit, in the same order
        self._row_widgets: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(6)
        layout.addLayout(self._rows)
        self.add_button = QPushButton(f"+ Add a {noun}")
        self.add_button.setProperty("role", "link")
        self.add_button.clicked.connect(lambda: self._add("", focus=True))
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def lines(self) -> tuple[str, ...]:
        return tuple(text for edit in self._edits if (text := edit.text().strip()))

    def edits(self) -> list[QLineEdit]:
        return list(self._edits)

    def set_lines(self, lines: Sequence[str]) -> None:
        while self._edits:
            self._remove(0, announce=False)
        for line in lines or ("",):
            self._add(line, focus=False, announce=False)
        self.changed.emit()

    def add_line(self, text: str = "") -> QLineEdit:
        return self._add(text, focus=False)

    def move_line(self, index: int, step: int) -> None:
        """Move line ``index`` up (-1) or down (+1), keeping the text with its row."""
        other = index + step
        if not (0 <= index < len(self._edits) and 0 <= other < len(self._edits)):
            return
        a, b = self._edits[index], self._edits[other]
        text_a, text_b = a.text(), b.text()
        a.setText(text_b)
        b.setText(text_a)
        b.setFocus()
        self.changed.emit()

    def remove(self, index: int) -> None:
        self._remove(index)
        if not self._edits:
            self._add("", focus=False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Alt+Up and Alt+Down in a line move it, so reordering needs no mouse."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and watched in self._edits
        ):
            index = self._edits.index(watched)
            self.move_line(index, -1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def _add(self, text: str, *, focus: bool, announce: bool = True) -> QLineEdit:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(6)
        number = QLabel()
        number.setProperty("role", "muted")
        number.setFixedWidth(22)
        edit = QLineEdit(text)
        edit.setMaxLength(MAX_LINE)
        edit.setCursorPosition(0)  # a long line shows its start, not its end
        edit.textChanged.connect(self.changed)
        up, down, remove = (
            _small_button("↑", f"Move this {self._noun} up (Alt+Up)"),
            _small_button("↓", f"Move this {self._noun} down (Alt+Down)"),
            _small_button("✕", f"Remove this {self._noun}"),
        )
        up.clicked.connect(lambda: self.move_line(self._edits.index(edit), -1))
        down.clicked.connect(lambda: self.move_line(self._edits.index(edit), 1))
        edit.installEventFilter(self)  # Alt+Up and Alt+Down move the line being typed
        remove.clicked.connect(lambda: self.remove(self._edits.index(edit)))
        for widget in (number, edit, up, down, remove):
            line.addWidget(widget, 1 if widget is edit else 0)
        self._edits.append(edit)
        self._numbers.append(number)
        self._row_widgets.append(row)
        self._rows.addWidget(row)
        self._renumber()
        if focus:
            edit.setFocus()
        if announce:
            self.changed.emit()
        return edit

    def _remove(self, index: int, *, announce: bool = True) -> None:
        self._edits.pop(index)
        self._numbers.pop(index)
        row = self._row_widgets.pop(index)
        self._rows.removeWidget(row)
        row.deleteLater()
        self._renumber()
        if announce:
            self.changed.emit()

    def _renumber(self) -> None:
        for i, (number, edit) in enumerate(zip(self._numbers, self._edits, strict=True), 1):
            number.setText(f"{i}.")
            edit.setAccessibleName(f"{self._noun.capitalize()} {i}")
            edit.setPlaceholderText(f"{self._noun.capitalize()} {i}, in a few words")
        self.add_button.setEnabled(len(self._edits) < self._max)


class PhaseEditor(QWidget):
    """The timed phases of one rep ("Tighten 3 s", "Let go 2 s"), in order; ``moves``
    adds a "moving" box for the phases spent getting from one shape to the next.

    Signals:
        changed(): a phase was edited, added or removed.
    """

    changed = Signal()

    def __init__(self, *, moves: bool, max_phases: int = 6) -> None:
        super().__init__()
        self._moves = moves
        self._max = max_phases
        self._rows: list[tuple[QWidget, QLineEdit, QDoubleSpinBox, QCheckBox | None]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        layout.addLayout(self._list)
        self.add_button = QPushButton("+ Add a phase")
        self.add_button.setProperty("role", "link")
        self.add_button.clicked.connect(lambda: self.add_phase(TempoPhase("", 2.0)))
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def phases(self) -> tuple[TempoPhase, ...]:
        """The phases as typed; a row with no name is still a phase (the loader says so)."""
        return tuple(
            TempoPhase(name.text().strip(), seconds.value(), bool(move and move.isChecked()))
            for _row, name, seconds, move in self._rows
        )

    def set_phases(self, phases: Sequence[TempoPhase]) -> None:
        while self._rows:
            self._remove(0)
        for phase in phases:
            self.add_phase(phase)

    def add_phase(self, phase: TempoPhase) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(6)
        name = QLineEdit(phase.name)
        name.setMaxLength(40)
        name.setPlaceholderText("e.g. Tighten")
        name.setAccessibleName(f"Phase {len(self._rows) + 1} name")
        seconds = QDoubleSpinBox()
        seconds.setRange(0.5, 600)
        seconds.setSingleStep(0.5)
        seconds.setDecimals(1)
        seconds.setSuffix(" s")
        seconds.setValue(phase.seconds)
        seconds.setAccessibleName(f"Phase {len(self._rows) + 1} seconds")
        move = QCheckBox("moving") if self._moves else None
        line.addWidget(name, 1)
        line.addWidget(seconds)
        if move is not None:
            move.setChecked(phase.move)
            move.setToolTip("Time spent moving into the next shape, not counted")
            move.toggled.connect(self.changed)
            line.addWidget(move)
        remove = _small_button("✕", "Remove this phase")
        remove.clicked.connect(lambda: self._remove([r[0] for r in self._rows].index(row)))
        line.addWidget(remove)
        name.textChanged.connect(self.changed)
        seconds.valueChanged.connect(self.changed)
        self._rows.append((row, name, seconds, move))
        self._list.addWidget(row)
        self.add_button.setEnabled(len(self._rows) < self._max)
        self.changed.emit()

    def _remove(self, index: int) -> None:
        row = self._rows.pop(index)[0]
        self._list.removeWidget(row)
        row.deleteLater()
        self.add_button.setEnabled(len(self._rows) < self._max)
        self.changed.emit()
