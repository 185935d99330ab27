"""The dose part of the exercise form: a timed hold, reps at the person's own pace, or
paced reps, with sets and the rest between them. Every range is two spin boxes whose
low end cannot pass the high end, so what it builds is always a well-formed :class:`Dose`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from si_timer.library.model import Dose, DoseMode, Progression, Range, TempoPhase
from si_timer.records import replace
from si_timer.ui.exercise_form.fields import PhaseEditor, RangeEdit, form_rows, row_label

MODE_WORDS = {
    DoseMode.HOLD: "Timed hold",
    DoseMode.SELF_PACED: "Reps",
    DoseMode.TEMPO: "Paced reps",
}
MODE_HINTS = {
    DoseMode.HOLD: "Hold a position for a time, once or a few times per side.",
    DoseMode.SELF_PACED: "Do a number of reps at your own pace and press Done.",
    DoseMode.TEMPO: "Each rep follows timed phases that the voice calls out.",
}
NEW_DOSE = Dose(hold=Range(20, 30), reps=Range(1, 1))
NEW_TEMPO = (TempoPhase("Tighten", 3.0), TempoPhase("Let go", 3.0))
NEW_REST = Range(30, 60)


class DoseEditor(QWidget):
    """Edits one exercise's dose.

    Signals:
        changed(): any part of the dose changed.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)
        modes = QHBoxLayout()
        modes.setSpacing(6)
        self._group = QButtonGroup(self)
        self.mode_buttons: dict[DoseMode, QPushButton] = {}
        for mode, word in MODE_WORDS.items():
            button = QPushButton(word)
            button.setCheckable(True)
            button.setProperty("role", "choice")
            button.setAccessibleDescription(MODE_HINTS[mode])
            self._group.addButton(button)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
            button.toggled.connect(self._mode_toggled)
        modes.addStretch(1)
        self._hint = QLabel()
        self._hint.setProperty("role", "muted")
        self._hint.setWordWrap(True)
        kind = QVBoxLayout()
        kind.setContentsMargins(0, 0, 0, 0)
        kind.setSpacing(4)
        kind.addLayout(modes)
        kind.addWidget(self._hint)

        self._form = form_rows()
        self._form.setContentsMargins(0, 0, 0, 0)
        self.hold = RangeEdit("seconds", maximum=900, name="Hold")
        self.reps = RangeEdit("", maximum=100, name="Reps")
        self._reps_label = row_label("")
        self.tempo = PhaseEditor(moves=True)
        self.pace = PhaseEditor(moves=False)
        self._pace_hint = QLabel("Optional: the voice counts the reps at this pace.")
        self._pace_hint.setProperty("role", "muted")
        pace_box = QWidget()
        pace_layout = QVBoxLayout(pace_box)
        pace_layout.setContentsMargins(0, 0, 0, 0)
        pace_layout.addWidget(self._pace_hint)
        pace_layout.addWidget(self.pace)
        self.sets = QSpinBox()
        self.sets.setRange(1, 10)
        self.sets.setAccessibleName("Sets")
        self.sets.setMinimumWidth(84)
        self.rest = RangeEdit("seconds", maximum=900, name="Rest between sets")
        self._form.addRow(row_label("Kind"), kind)
        self._form.addRow(row_label("Hold for"), self.hold)
        self._form.addRow(self._reps_label, self.reps)
        self._form.addRow(row_label("Each rep"), self.tempo)
        self._form.addRow(row_label("Pace"), pace_box)
        sets_row = QHBoxLayout()
        sets_row.addWidget(self.sets)
        sets_row.addStretch(1)
        self._form.addRow(row_label("Sets"), sets_row)
        self._form.addRow(row_label("Rest between sets"), self.rest)
        outer.addLayout(self._form)
        self._pace_box = pace_box

        self._filling = False  # set_dose puts a dose in as it is, without adjusting it
        for widget in (self.hold, self.reps, self.tempo, self.pace, self.rest):
            widget.changed.connect(self.changed)
        self.sets.valueChanged.connect(self._sets_changed)
        self.set_dose(NEW_DOSE)

    # --- reading and writing ---------------------------------------------------

    def mode(self) -> DoseMode:
        for mode, button in self.mode_buttons.items():
            if button.isChecked():
                return mode
        return DoseMode.HOLD

    def set_mode(self, mode: DoseMode) -> None:
        self.mode_buttons[mode].setChecked(True)
        self._show_mode()

    def set_dose(self, dose: Dose) -> None:
        self._filling = True
        self.hold.set_value(dose.hold or NEW_DOSE.hold or Range(20, 20))
        self.reps.set_value(dose.reps or (Range(1, 1) if dose.hold else Range(10, 10)))
        self.tempo.set_phases(dose.tempo or NEW_TEMPO)
        self.pace.set_phases(dose.pace)
        self.sets.setValue(dose.sets)
        self.rest.set_value(dose.rest or NEW_REST)
        self.set_mode(dose.mode)
        self._filling = False
        self._sets_changed()

    def dose(self, base: Dose | None = None) -> Dose:
        """The dose as set; parts the form does not show (a progression, the time to move
        into a hold, the pause between reps) are kept from ``base`` where they still fit."""
        mode = self.mode()
        hold = self.hold.value() if mode is DoseMode.HOLD else None
        reps: Range | None = self.reps.value()
        if mode is DoseMode.HOLD and base is not None and base.reps is None and reps == Range(1, 1):
            reps = None  # "1 hold per side" was left unsaid in the file: keep it so
        sets = self.sets.value()
        dose = Dose(
            hold=hold,
            reps=reps,
            sets=sets,
            rest=self.rest.value() if sets > 1 else None,
            relax=base.relax if base is not None else None,
            tempo=self.tempo.phases() if mode is DoseMode.TEMPO else (),
            pace=self.pace.phases() if mode is DoseMode.SELF_PACED else (),
            move_in=base.move_in if base is not None and hold is not None else None,
            progression=_kept_progression(base, hold, reps),
        )
        if base is not None and base.suggested_parts:
            dose = replace(dose, suggested_parts=base.suggested_parts & dose.parts())
        return dose

    # --- keeping the controls in step -----------------------------------------

    def _mode_toggled(self, checked: bool) -> None:
        if not checked:
            return
        if not self._filling:
            # One hold per side and ten reps are where most doses start: the count follows
            # the kind of dose, unless it was changed by hand.
            held = self.mode() is DoseMode.HOLD
            if held and self.reps.value() == Range(10, 10):
                self.reps.set_value(Range(1, 1))
            elif not held and self.reps.value() == Range(1, 1):
                self.reps.set_value(Range(10, 10))
        self._show_mode()
        self.changed.emit()

    def _show_mode(self) -> None:
        mode = self.mode()
        self._hint.setText(MODE_HINTS[mode])
        self._form.setRowVisible(self.hold, mode is DoseMode.HOLD)
        self._form.setRowVisible(self.tempo, mode is DoseMode.TEMPO)
        self._form.setRowVisible(self._pace_box, mode is DoseMode.SELF_PACED)
        self._reps_label.setText("Holds per side" if mode is DoseMode.HOLD else "Reps per side")

    def _sets_changed(self) -> None:
        self._form.setRowVisible(self.rest, self.sets.value() > 1)
        self.changed.emit()


def _kept_progression(
    base: Dose | None, hold: Range | None, reps: Range | None
) -> Progression | None:
    """The base's progression, as far as it still builds on the dose as set."""
    if base is None or base.progression is None:
        return None
    old = base.progression
    keep_hold = hold is not None and old.hold is not None and old.hold.max >= hold.min
    kept = Progression(
        hold=old.hold if keep_hold else None,
        reps=old.reps if reps is not None else None,
    )
    return kept if kept.hold is not None or kept.reps is not None else None
