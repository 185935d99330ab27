"""The controls for one entry of a routine: sides, sets, hold, reps, rest, lead-in and
side change, each a spin box bounded by the exercise's ranges.

The bounds are the point: a value outside an exercise's range is only reachable by
ticking "My physio prescribed a different dose", which lifts them and marks the entry.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.draft import EntryDose
from si_timer.library.limits import EntryLimits, entry_limits
from si_timer.library.model import DoseMode, Exercise, Range, RoutineEntry, Side, Sides
from si_timer.records import replace
from si_timer.ui.figure import FigureView
from si_timer.ui.theme import Palette
from si_timer.words import dose_text

SIDE_WORDS: dict[Sides, str] = {
    Sides.NONE: "No sides",
    Sides.EACH: "Each side",
    Sides.LEFT_RIGHT_BOTH: "Left, right, then both",
    Sides.LEFT: "Left only",
    Sides.RIGHT: "Right only",
    Sides.BOTH: "Both together",
}


def chosen_values(entry: RoutineEntry, dose: EntryDose) -> tuple[int | None, int, int, int]:
    """The hold, reps, sets and rest to show for an entry: its own choices, else what the
    session will do (``dose``, from the draft), in whole seconds and counts."""
    hold = entry.hold if entry.hold is not None else dose.hold
    return (
        round(hold) if hold is not None else None,
        entry.reps if entry.reps is not None else dose.reps,
        entry.sets if entry.sets is not None else dose.sets,
        round(entry.rest if entry.rest is not None else dose.rest),
    )


def entry_dose_text(entry: RoutineEntry, exercise: Exercise, dose: EntryDose) -> str:
    """The dose an entry runs with, in a line: "Hold 8 s · 1 rep · 3 sets, rest 60 s"."""
    hold, reps, sets, rest = chosen_values(entry, dose)
    mode = exercise.dose.mode
    parts = []
    if mode is DoseMode.HOLD and hold is not None:
        parts.append(f"Hold {hold} s")
    elif mode is DoseMode.TEMPO:
        parts.append(f"{exercise.dose.rep_seconds:g} s a rep")
    else:
        parts.append("At your own pace")
    parts.append("1 rep" if reps == 1 else f"{reps} reps")
    if sets > 1:
        parts.append(f"{sets} sets, rest {rest} s")
    sides = entry.sides or exercise.sides
    if sides is not Sides.NONE:
        parts.append(SIDE_WORDS[sides].lower())
    return " · ".join(parts)


def _spin(suffix: str, name: str) -> QSpinBox:
    box = QSpinBox()
    box.setSuffix(suffix)
    box.setAccessibleName(name)
    box.setKeyboardTracking(False)  # typing "12" is one change, not "1" then "12"
    box.setMinimumWidth(110)
    return box


def _bounds(box: QSpinBox, limit: Range) -> None:
    # The spin boxes count whole seconds; a range's fractional ends round inwards.
    low, high = math.ceil(limit.min), math.floor(limit.max)
    box.setRange(low, max(low, high))


class EntryPanel(QFrame):
    """Shows one entry and sends every change as a whole new entry.

    Signals:
        entry_edited(object): the :class:`RoutineEntry` as the controls now say.
    """

    entry_edited = Signal(object)

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self._entry: RoutineEntry | None = None
        self._exercise: Exercise | None = None
        self._limits: EntryLimits | None = None
        self._shown: dict[QSpinBox, int] = {}  # what each box showed for a value left unset
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 16)
        root.setSpacing(12)

        head = QHBoxLayout()
        head.setSpacing(16)
        self.figure = FigureView()
        self.figure.set_palette(palette)
        self.figure.setFixedSize(QSize(168, 112))
        head.addWidget(self.figure, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(4)
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.name.setProperty("role", "heading")
        self.guide = QLabel()
        self.guide.setWordWrap(True)
        self.guide.setProperty("role", "muted")
        self.badge = QLabel("Prescribed by your physio")
        self.badge.setProperty("role", "badge")
        self.badge.setAccessibleName("This dose was prescribed by your physiotherapist")
        self.position = QLabel()
        self.position.setWordWrap(True)
        self.position.setProperty("role", "muted")
        titles.addWidget(self.name)
        titles.addWidget(self.position)
        titles.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        titles.addStretch(1)
        head.addLayout(titles, 1)
        root.addLayout(head)
        root.addWidget(self.guide)

        self.controls = QWidget()  # hidden while no entry is selected
        form = QFormLayout(self.controls)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self._form = form
        self.sides = QComboBox()
        self.sides.setAccessibleName("Sides")
        self.hold = _spin(" s", "Hold, seconds")
        self.reps = _spin("", "Reps")
        self.sets = _spin("", "Sets")
        self.rest = _spin(" s", "Rest between sets, seconds")
        self.hints: dict[QWidget, QLabel] = {}
        self._rows: dict[QWidget, QWidget] = {}  # each control's row, to show or hide
        for label, box in (
            ("Sides", self.sides),
            ("Hold", self.hold),
            ("Reps", self.reps),
            ("Sets", self.sets),
            ("Rest between sets", self.rest),
        ):
            form.addRow(label, self._with_hint(box))
        self.prescribed = QCheckBox("My physio prescribed a different dose")
        self.prescribed.setToolTip(
            "Lets hold, reps, sets and rest go beyond this exercise's usual ranges; "
            "the entry is marked as prescribed."
        )
        form.addRow("", self.prescribed)
        self.lead_in = _spin(" s", "Time to get into position, seconds")
        self.switch = _spin(" s", "Time to change sides, seconds")
        form.addRow("Get into position", self._with_hint(self.lead_in))
        form.addRow("Change sides", self._with_hint(self.switch))
        root.addWidget(self.controls)
        # The steps, to recall which exercise this is while choosing its dose.
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setProperty("role", "muted")
        self.steps.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        root.addWidget(self.steps, 1)

        for box in (self.hold, self.reps, self.sets, self.rest, self.lead_in, self.switch):
            box.valueChanged.connect(self._edited)
        self.sides.currentIndexChanged.connect(self._edited)
        self.prescribed.toggled.connect(self._edited)
        self.controls.hide()

    def _with_hint(self, box: QWidget) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(box)
        hint = QLabel()
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        # A longer hint ("… · prescribed") wraps; it never widens the panel.
        hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(hint, 1)
        self.hints[box] = hint
        self._rows[box] = holder
        return holder

    def _row_visible(self, box: QWidget, visible: bool) -> None:
        self._form.setRowVisible(self._rows[box], visible)

    # --- showing an entry ----------------------------------------------------

    def show_entry(
        self,
        entry: RoutineEntry | None,
        exercise: Exercise | None,
        limits: EntryLimits | None,
        dose: EntryDose | None = None,
        *,
        routine_lead_in: float = 5.0,
        routine_switch: float = 5.0,
    ) -> None:
        """Show ``entry`` (None: nothing selected) with the bounds ``limits`` gives;
        ``dose`` is what the session will do with it."""
        self._entry, self._exercise, self._limits = entry, exercise, limits
        self.controls.setVisible(entry is not None)
        if entry is None or exercise is None or limits is None or dose is None:
            self.name.setText("No exercise selected")
            self.position.setText("Add an exercise, or pick one from the list.")
            self.guide.setText("")
            self.steps.setText("")
            self.badge.hide()
            self.figure.show_exercise(None, Side.NONE, None)
            return
        widgets = (
            self.sides, self.hold, self.reps, self.sets, self.rest,
            self.prescribed, self.lead_in, self.switch,
        )  # fmt: skip
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self._fill(entry, exercise, limits, dose, routine_lead_in, routine_switch)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _fill(
        self,
        entry: RoutineEntry,
        exercise: Exercise,
        limits: EntryLimits,
        dose: EntryDose,
        routine_lead_in: float,
        routine_switch: float,
    ) -> None:
        self.name.setText(exercise.name)
        self.position.setText(exercise.position)
        self.guide.setText(f"The guide's dose: {dose_text(exercise.dose)}")
        self.steps.setText("  ".join(f"{n}. {step}" for n, step in enumerate(exercise.steps, 1)))
        self.figure.show_exercise(exercise, exercise.side_order(entry.sides)[0], None)
        self.badge.setVisible(entry.prescribed)
        self.prescribed.setChecked(entry.prescribed)
        hold, reps, sets, rest = chosen_values(entry, dose)

        self.sides.clear()
        for sides in limits.sides:
            self.sides.addItem(SIDE_WORDS[sides], sides.value)
        current = entry.sides or exercise.sides
        self.sides.setCurrentIndex(max(0, self.sides.findData(current.value)))
        self._row_visible(self.sides, len(limits.sides) > 1)

        prescribed = entry.prescribed
        usual = entry_limits(exercise)
        rows = (
            (self.hold, limits.hold, usual.hold, hold, " s", dose.hold),
            (self.reps, limits.reps, usual.reps, reps, "", dose.reps),
            (self.sets, limits.sets, usual.sets, sets, "", dose.sets),
            (self.rest, limits.rest, usual.rest, rest, " s", dose.rest),
        )
        for box, limit, normal, value, unit, session in rows:
            # A fixed value (one rep, one set) is nothing to choose, unless prescribed.
            shown = limit is not None and (prescribed or not (normal is None or normal.is_single))
            self._row_visible(box, shown)
            if limit is None:
                continue
            _bounds(box, limit)
            box.setValue(int(value) if value is not None else box.minimum())
            self._shown[box] = box.value()
            if normal is None:
                hint = "the guide gives none"
            elif box is self.sets:
                hint = f"the guide's {exercise.dose.sets}"
            elif normal.is_single:
                hint = f"usual {normal}{unit}"
            else:
                hint = f"usual range {normal}{unit}"
            beyond = value is not None and (normal is None or not normal.contains(value))
            if beyond:
                hint += "  ·  prescribed"
            elif session is not None and value is not None and round(session) != value:
                # The person's own "too easy" / "too hard" ratings choose within the range.
                hint += f"  ·  your ratings make it {session:g}{unit}"
            self.hints[box].setText(hint)
        self.rest.setEnabled(sets > 1)

        # Unset, an entry takes the routine's time, or more where the exercise needs it.
        usual_lead_in = max(routine_lead_in, exercise.lead_in or 0.0)
        # 0 stands for "unset" (shown as the usual time): an entry's own 0 s is not offered.
        _bounds(self.lead_in, limits.pause)
        _bounds(self.switch, limits.pause)
        self.lead_in.setSpecialValueText(f"Usual ({usual_lead_in:g} s)")
        self.lead_in.setValue(round(entry.lead_in) if entry.lead_in is not None else 0)
        self._shown[self.lead_in] = self.lead_in.value()
        per_side = limits.switch and len((entry.sides or exercise.sides).order()) > 1
        usual_switch = max(routine_switch, exercise.switch or 0.0)
        self.switch.setSpecialValueText(f"Usual ({usual_switch:g} s)")
        self.switch.setValue(round(entry.switch) if entry.switch is not None else 0)
        self._shown[self.switch] = self.switch.value()
        self._row_visible(self.switch, per_side)

    # --- sending a change ----------------------------------------------------

    def current_entry(self) -> RoutineEntry | None:
        """The entry as the controls say (None when nothing is shown)."""
        entry, exercise, limits = self._entry, self._exercise, self._limits
        if entry is None or exercise is None or limits is None:
            return None
        prescribed = self.prescribed.isChecked()
        sides = Sides(self.sides.currentData()) if self.sides.count() else None

        usual = entry_limits(exercise)

        def touched(box: QSpinBox) -> bool:
            return self._form.isRowVisible(self._rows[box]) and box.value() != self._shown.get(box)

        def value(box: QSpinBox, limit: Range | None, old: float | None) -> float | None:
            # Untouched, a value stays as it was (7.5 s in a file is not rounded to 8).
            chosen = float(box.value()) if touched(box) else old
            if chosen is None or prescribed:
                return chosen
            # Without the override a value goes back inside the usual range.
            return limit.clamp(chosen) if limit is not None else None

        def count(box: QSpinBox, limit: Range | None, old: int | None) -> int | None:
            chosen = value(box, limit, old)
            return None if chosen is None else int(chosen)

        sets = count(self.sets, usual.sets, entry.sets)
        rest = value(self.rest, usual.rest, entry.rest)
        if prescribed and sets is not None and sets > 1 and rest is None and not usual.rest:
            rest = float(self.rest.value())  # more sets than the guide's need a rest between
        lead_in = (self.lead_in.value() or None) if touched(self.lead_in) else entry.lead_in
        switch = (self.switch.value() or None) if touched(self.switch) else entry.switch
        return replace(
            entry,
            sides=None if sides is None or sides is exercise.sides else sides,
            hold=value(self.hold, usual.hold, entry.hold),
            reps=count(self.reps, usual.reps, entry.reps),
            sets=sets,
            rest=rest,
            prescribed=prescribed,
            lead_in=lead_in,
            switch=switch,
        )

    def _edited(self) -> None:
        entry = self.current_entry()
        if entry is not None and entry != self._entry:
            self.entry_edited.emit(entry)
