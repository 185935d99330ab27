"""The settings dialog's reminders: on/off, times with their days and routine, login start."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from si_timer.session.reminders import ALL_DAYS, DAY_NAMES, ReminderSlot


class SlotRow(QWidget):
    """One reminder: time, routine, days of the week, remove."""

    def __init__(self, slot: ReminderSlot, routines: Mapping[str, str], parent: QWidget) -> None:
        super().__init__(parent)
        # Two lines: time, routine and Remove; then the days (one line is too
        # cramped for the themed controls at the dialog's width).
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 6)
        rows.setSpacing(4)
        layout = QHBoxLayout()
        week = QHBoxLayout()
        rows.addLayout(layout)
        rows.addLayout(week)
        self.time = QTimeEdit(QTime(slot.at.hour, slot.at.minute))
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Reminder time")
        self.routine = QComboBox()
        self.routine.setAccessibleName("Routine to start")
        for rid, name in routines.items():
            self.routine.addItem(name, rid)
        if self.routine.findData(slot.routine) < 0:
            self.routine.addItem(slot.routine, slot.routine)
        self.routine.setCurrentIndex(self.routine.findData(slot.routine))
        layout.addWidget(self.time)
        layout.addWidget(self.routine, 1)
        self.days: list[QCheckBox] = []
        for number, name in enumerate(DAY_NAMES):
            box = QCheckBox(name[:2])
            box.setAccessibleName(name)
            box.setChecked(number in slot.days)
            self.days.append(box)
            week.addWidget(box)
        week.addStretch(1)
        self.remove = QPushButton("Remove")
        self.remove.setAccessibleName("Remove this reminder")
        self.remove.setMinimumWidth(self.remove.sizeHint().width())
        layout.addWidget(self.remove)

    def slot(self) -> ReminderSlot | None:
        """This row as a slot; None when no day is ticked."""
        days = frozenset(n for n, box in enumerate(self.days) if box.isChecked())
        if not days:
            return None
        chosen = self.time.time()
        return ReminderSlot(
            time(chosen.hour(), chosen.minute()), str(self.routine.currentData()), days
        )


class ReminderEditor(QWidget):
    """Reminder times; :meth:`slots` gives them back (empty: none kept)."""

    def __init__(
        self,
        slots: tuple[ReminderSlot, ...],
        routines: Mapping[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._routines = routines
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.rows: list[SlotRow] = []
        self.add = QPushButton("Add a time")
        self._layout.addWidget(self.add)
        self.add.clicked.connect(self._add_clicked)
        for slot in slots:
            self.add_row(slot)

    def add_row(self, slot: ReminderSlot) -> SlotRow:
        row = SlotRow(slot, self._routines, self)
        row.remove.clicked.connect(lambda: self._remove(row))
        self.rows.append(row)
        self._layout.insertWidget(len(self.rows) - 1, row)
        return row

    def _add_clicked(self) -> None:
        last = self.rows[-1].slot() if self.rows else None
        routine = last.routine if last else next(iter(self._routines), "morning")
        at = last.at if last else time(8, 0)
        self.add_row(ReminderSlot(at, routine, ALL_DAYS))

    def _remove(self, row: SlotRow) -> None:
        self.rows.remove(row)
        self._layout.removeWidget(row)
        row.hide()  # gone at once, not after the next event-loop turn
        row.deleteLater()

    def slots(self) -> tuple[ReminderSlot, ...]:
        found = (row.slot() for row in self.rows)
        return tuple(sorted({s for s in found if s is not None}))
