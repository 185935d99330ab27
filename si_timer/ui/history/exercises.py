"""Per exercise, over all history: times done, holds and reps, the hold reached, last done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from si_timer import words
from si_timer.history.model import ExerciseStat

HEADERS = (
    "Exercise",
    "Sessions",
    "Holds and reps done",
    "Longest hold",
    "Skipped for pain",
    "Last done",
)


def day_text(day: date | None) -> str:
    return "—" if day is None else words.date_text(day)


class _SortItem(QTableWidgetItem):
    """A table cell that sorts by a number (or a folded name) while showing text."""

    def __init__(self, text: str, key: float | str) -> None:
        super().__init__(text)
        self.key = key
        self.setFlags(self.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _SortItem) and type(self.key) is type(other.key):
            return self.key < other.key  # type: ignore[operator]
        return super().__lt__(other)


class ExerciseTable(QWidget):
    """A sortable table, by name to start with; a sentence when it is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(38)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Exercises")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.table)
        self.empty = QLabel("No exercises recorded yet.")
        self.empty.setProperty("role", "muted")
        layout.addWidget(self.empty)

    def set_stats(self, rows: Sequence[ExerciseStat]) -> None:
        table = self.table
        table.setSortingEnabled(False)
        table.setRowCount(len(rows))
        for r, stat in enumerate(rows):
            hold = stat.best_hold_seconds
            last = stat.last_done
            items = [
                _SortItem(stat.name, stat.name.casefold()),
                _SortItem(str(stat.sessions), stat.sessions),
                _SortItem(str(stat.reps_done), stat.reps_done),
                _SortItem(f"{hold:.0f} s" if hold is not None else "—", hold or 0.0),
                _SortItem(str(stat.skipped_pain) if stat.skipped_pain else "—", stat.skipped_pain),
                _SortItem(day_text(last), last.toordinal() if last else 0),
            ]
            for c, item in enumerate(items):
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)
        table.setSortingEnabled(True)
        header = table.horizontalHeader()
        table.sortItems(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.empty.setVisible(not rows)
