"""The history store's change announcements as a Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from si_timer.history.changes import HistoryChange
from si_timer.history.merge import MergeResult
from si_timer.history.store import HistoryStore


class HistoryNotifier(QObject):
    """Turns the store's change announcements into a signal.

    Signals:
        history_changed(HistoryChange): the store committed a write; each view
            re-queries only if the change touches what it shows.
    """

    history_changed = Signal(HistoryChange)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._unsubscribe = store.subscribe(self.history_changed.emit)
        self.destroyed.connect(self._unsubscribe)

    def merged(self, result: MergeResult) -> None:
        """A backup was merged through another connection (an import off the GUI thread):
        the store saw nothing, so announce it here for every view."""
        self.history_changed.emit(HistoryChange.of_merge(result))

    def close(self) -> None:
        """Stop listening (also done when the object is destroyed)."""
        self._unsubscribe()
