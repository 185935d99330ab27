"""The pain journal's list: every pain rating and note over time, pain logged without a
session, and notes edited in place."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from si_timer import words
from si_timer.history.model import PAIN_MAX, PAIN_MIN
from si_timer.history.pain_journal import JournalEntry

ITEM_PADDING = (6, 8)  # an entry's padding, top and side: ``QListWidget::item`` in style.qss


def entry_text(entry: JournalEntry) -> str:
    """``"Tue 4 Mar 2026, 19:05 · Pain logged · Pain 7 — After the long drive"``."""
    when = f"{entry.local_at:%a} {words.date_text(entry.local_at.date())}, "
    when += words.time_text(entry.local_at)
    parts = [when, entry.title]
    if entry.pain_text:
        # "3 → 2" wraps as one: a "2" alone on a line reads as a rating of its own.
        parts.append(entry.pain_text.replace(" → ", "\N{NO-BREAK SPACE}→\N{NO-BREAK SPACE}"))
    text = " · ".join(parts)
    return text + (f" — {entry.note}" if entry.note else "")


class JournalList(QWidget):
    """Log pain now (0-10 and a note), and the entries newest first with their notes.

    Signals:
        pain_logged(int, str): log this pain now, with this note (may be empty).
        note_saved(object, str): replace the note of this :class:`JournalEntry`.
    """

    pain_logged = Signal(int, str)
    note_saved = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[JournalEntry] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        title = QLabel("LOG PAIN NOW")
        title.setProperty("role", "section")
        layout.addWidget(title)
        row = QHBoxLayout()
        row.setSpacing(3)
        self.pain = QButtonGroup(self)
        for value in range(PAIN_MIN, PAIN_MAX + 1):
            button = QPushButton(str(value))
            button.setCheckable(True)
            button.setProperty("role", "pain")
            button.setAccessibleName(f"Pain now: {value} of 10")
            self.pain.addButton(button, value)
            row.addWidget(button)
        layout.addLayout(row)
        log_row = QHBoxLayout()
        self.new_note = QLineEdit()
        self.new_note.setPlaceholderText("What is it like? (optional)")
        self.new_note.setAccessibleName("Note for the pain logged now")
        self.log_button = QPushButton("Log pain")
        self.log_button.setProperty("role", "primary")
        self.log_button.setEnabled(False)
        self.pain.idClicked.connect(lambda _: self.log_button.setEnabled(True))
        self.log_button.clicked.connect(self._log)
        log_row.addWidget(self.new_note, 1)
        log_row.addWidget(self.log_button)
        layout.addLayout(log_row)

        entries = QLabel("ENTRIES")
        entries.setProperty("role", "section")
        layout.addWidget(entries)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        # Entries wrap to the list's width, never scroll sideways.  Left to itself
        # the list wraps them for a width a little over what it shows (its padding):
        # they ran past the edge, cut short with "…", above a sideways scroll bar.
        # So each entry is given the width shown, and the height of its words
        # wrapped there, whenever that width changes.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.viewport().installEventFilter(self)
        self.list.setAccessibleName("Pain journal entries")
        self.list.currentRowChanged.connect(self._selected)
        layout.addWidget(self.list, 1)
        self.empty = QLabel("No pain ratings or notes yet.")
        self.empty.setProperty("role", "muted")
        layout.addWidget(self.empty)
        edit_row = QHBoxLayout()
        self.note = QLineEdit()
        self.note.setPlaceholderText("Choose an entry to edit its note")
        self.note.setAccessibleName("Note of the chosen entry")
        self.note.setEnabled(False)
        self.save_button = QPushButton("Save note")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        self.note.returnPressed.connect(self._save)
        edit_row.addWidget(self.note, 1)
        edit_row.addWidget(self.save_button)
        layout.addLayout(edit_row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.list.viewport():
            self._fit_entries()
        return super().eventFilter(watched, event)

    def _fit_entries(self) -> None:
        """Each entry as wide as the list shows, as tall as its words wrapped there."""
        width = self.list.viewport().width()
        metrics = QFontMetrics(self.list.font())
        # Less the item's padding (style.qss: 6 px by 8 px) and the text's margins.
        text = QRect(0, 0, max(40, width - 2 * ITEM_PADDING[1] - 8), 100_000)
        for row in range(self.list.count()):
            item = self.list.item(row)
            lines = metrics.boundingRect(text, Qt.TextFlag.TextWordWrap, item.text()).height()
            item.setSizeHint(QSize(width, lines + 2 * ITEM_PADDING[0] + 2))

    @property
    def entries(self) -> tuple[JournalEntry, ...]:
        return tuple(self._entries)

    def set_entries(self, entries: Sequence[JournalEntry]) -> None:
        """Show ``entries`` (newest first); the chosen one stays chosen where it still is."""
        chosen = self.current()
        keep = (chosen.session_id, chosen.pain_entry_id) if chosen else None
        self._entries = list(entries)
        self.list.blockSignals(True)
        self.list.clear()
        row_to_choose = -1
        for row, entry in enumerate(self._entries):
            item = QListWidgetItem(entry_text(entry))
            item.setToolTip(html.escape(entry.note or "No note"))
            self.list.addItem(item)
            if keep == (entry.session_id, entry.pain_entry_id):
                row_to_choose = row
        self._fit_entries()
        self.list.setCurrentRow(row_to_choose)
        self.list.blockSignals(False)
        self.empty.setVisible(not self._entries)
        self._selected(row_to_choose)

    def current(self) -> JournalEntry | None:
        row = self.list.currentRow()
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def _selected(self, row: int) -> None:
        entry = self._entries[row] if 0 <= row < len(self._entries) else None
        self.note.setEnabled(entry is not None)
        self.save_button.setEnabled(entry is not None)
        self.note.setText(entry.note or "" if entry else "")

    def _log(self) -> None:
        value = self.pain.checkedId()
        if value < 0:
            return
        self.pain_logged.emit(value, self.new_note.text().strip())
        self.new_note.clear()
        self.pain.setExclusive(False)
        for button in self.pain.buttons():
            button.setChecked(False)
        self.pain.setExclusive(True)
        self.log_button.setEnabled(False)

    def _save(self) -> None:
        entry = self.current()
        if entry is not None:
            self.note_saved.emit(entry, self.note.text().strip())
