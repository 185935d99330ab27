"""Per exercise, over all history: times done, holds and reps, the hold reached, last done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
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


# The same, over two lines: on a narrow window the names need the room.
WRAPPED_HEADERS = (
    "Exercise",
    "Sessions",
    "Holds and\nreps done",
    "Longest\nhold",
    "Skipped\nfor pain",
    "Last\ndone",
)
CELL_AIR = 24  # a cell's padding and margins either side of its text, and a little more


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
        self._numbers_width: int | None = None

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
        self._numbers_width = None  # new numbers: measured again
        self._fit_headers()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_headers()

    def name_room(self) -> int:
        """The width the longest exercise name needs in its column."""
        metrics = self.table.fontMetrics()
        names = (self.table.item(r, 0) for r in range(self.table.rowCount()))
        return max((metrics.horizontalAdvance(n.text()) for n in names if n), default=0) + CELL_AIR

    def _fit_headers(self) -> None:
        """Headers on one line where the names still fit beside them, else on two."""
        table, header = self.table, self.table.horizontalHeader()
        if self._numbers_width is None:  # measured with the one-line headers
            table.setHorizontalHeaderLabels(list(HEADERS))
            self._numbers_width = sum(
                max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
                for c in range(1, len(HEADERS))
            )
        wrapped = self._numbers_width + self.name_room() > table.viewport().width()
        labels = WRAPPED_HEADERS if wrapped else HEADERS
        shown = table.horizontalHeaderItem(2)
        if shown is None or shown.text() != labels[2]:
            table.setHorizontalHeaderLabels(list(labels))
