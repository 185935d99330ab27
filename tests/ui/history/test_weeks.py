"""Weekly totals as bars."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPointF
from pytestqt.qtbot import QtBot

from si_timer.history.stats import WeekTotal
from si_timer.ui.history.weeks import WeeklyBars

MONDAY = date(2025, 3, 10)


def test_bars_grow_with_minutes_oldest_first(qtbot: QtBot) -> None:
    bars = WeeklyBars()
    qtbot.addWidget(bars)
    bars.resize(600, 220)
    newest_first = [
        WeekTotal(MONDAY, 5, 4, 60.0, 4),
        WeekTotal(MONDAY - timedelta(weeks=1), 9, 9, 120.0, 7),
        WeekTotal(MONDAY - timedelta(weeks=2), 0, 0, 0.0, 0),
    ]
    bars.set_weeks(newest_first)
    assert [w.week_start for w in bars.weeks] == [w.week_start for w in reversed(newest_first)]
    empty, busy, current = (bars.bar_rect(i) for i in range(3))
    assert empty.height() == 0
    assert busy.height() == 2 * current.height()
    assert busy.bottom() == current.bottom()
    tip = bars.tooltip_at(QPointF(busy.center()))
    assert tip is not None
    assert "9 sessions, 9 completed" in tip
    assert "7 of 7 days active · 2 h 00 min" in tip
    assert not bars.grab().isNull()
