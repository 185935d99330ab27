"""The routine's exercises in order: a list that reorders by drag and drop and by keys.

The list never changes itself: a drop, Alt+Up/Alt+Down or Delete becomes a request,
the draft makes the change (so it can be undone) and the page shows the new order.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDropEvent, QIcon, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from si_timer.records import record
from si_timer.ui.editor.rows import BADGE_ROLE, DETAIL_ROLE, RowDelegate
from si_timer.ui.theme import Palette


@record(frozen=True)
class EntryRow:
    """What one row says: the exercise, its dose as chosen, and whether it is prescribed."""

    name: str
    dose: str
    icon: QIcon
    prescribed: bool = False


PRESCRIBED_BADGE = "Prescribed"


class EntryList(QListWidget):
    """Signals:
    move_requested(int, int): move the entry at the first index to the second.
    remove_requested(int): remove the entry at this index (the Delete key).
    """

    move_requested = Signal(int, int)
    remove_requested = Signal(int)

    def __init__(self, palette: Palette, icon_size: QSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(RowDelegate(palette, icon_size, self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setAccessibleName("Exercises in this routine")
        self.setAccessibleDescription(
            "Alt+Up and Alt+Down move the selected exercise; Delete removes it."
        )
        self.setIconSize(icon_size)
        self.setSpacing(1)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(True)
        self.setProperty("role", "entries")

    def set_palette(self, palette: Palette) -> None:
        old = self.itemDelegate()
        self.setItemDelegate(RowDelegate(palette, self.iconSize(), self))
        if old is not None:
            old.deleteLater()

    def set_rows(self, rows: Sequence[EntryRow], current: int) -> None:
        """Show ``rows`` and select the row at ``current`` (clamped; none if empty)."""
        self.blockSignals(True)
        self.clear()
        for number, row in enumerate(rows, 1):
            item = QListWidgetItem(row.icon, f"{number}.  {row.name}")
            item.setData(DETAIL_ROLE, row.dose)
            badge = PRESCRIBED_BADGE if row.prescribed else ""
            item.setData(BADGE_ROLE, badge)
            said = f"{number}. {row.name}" + (f", {badge.lower()}" if badge else "")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, said)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, row.dose)
            self.addItem(item)
        self.blockSignals(False)
        if rows:
            self.setCurrentRow(max(0, min(current, len(rows) - 1)))

    # --- keys ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if row >= 0 and alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            to = row - 1 if event.key() == Qt.Key.Key_Up else row + 1
            if 0 <= to < self.count():
                self.move_requested.emit(row, to)
            event.accept()
            return
        if row >= 0 and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_requested.emit(row)
            event.accept()
            return
        super().keyPressEvent(event)

    # --- drag and drop -------------------------------------------------------

    def drop_target(self, source: int, y: float) -> int:
        """Where the row ``source`` ends up when dropped at height ``y`` in the viewport:
        before the row under the pointer if in its upper half, else after it."""
        item = self.itemAt(self.viewport().width() // 2, round(y))
        if item is None:
            slot = self.count() if y > 0 else 0
        else:
            rect = self.visualItemRect(item)
            slot = self.row(item) + (1 if y > rect.center().y() else 0)
        return slot if slot <= source else slot - 1

    def dropEvent(self, event: QDropEvent) -> None:
        source = self.currentRow()
        # The view would move the item itself; the draft does it, so it can be undone.
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if event.source() is not self or source < 0:
            return
        to = self.drop_target(source, event.position().y())
        if to != source:
            self.move_requested.emit(source, to)
