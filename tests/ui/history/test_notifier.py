"""The store's announcements as a Qt signal: one per write."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.history.changes import HistoryChange
from si_timer.history.model import DayMark
from si_timer.history.store import HistoryStore
from si_timer.ui.history.notifier import HistoryNotifier


def test_one_signal_per_write_until_closed(qtbot: QtBot) -> None:
    store, _ = HistoryStore.open(resolve_paths().database_file)
    with store:
        notifier = HistoryNotifier(store)
        seen: list[HistoryChange] = []
        notifier.history_changed.connect(seen.append)
        with qtbot.waitSignal(notifier.history_changed):
            store.set_day_mark(date(2025, 3, 1), DayMark.REST)
        store.set_day_mark(date(2025, 3, 1), None)
        assert seen == [HistoryChange(marks=True)] * 2
        notifier.close()
        store.set_day_mark(date(2025, 3, 2), DayMark.SICK)
        assert len(seen) == 2
