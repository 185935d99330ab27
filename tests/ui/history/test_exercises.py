"""The per-exercise table sorts by numbers, not by text."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from si_timer.history.model import ExerciseStat
from si_timer.ui.history.exercises import ExerciseTable

ROWS = [
    ExerciseStat("wall-sit", "Wall sit", 9, 9, 0, 45.0, date(2025, 3, 1)),
    ExerciseStat("cat-cow", "Cat-cow", 120, 120, 3, None, date(2025, 3, 13)),
    ExerciseStat("bridge", "glute bridge", 10, 30, 1, 8.5, None),
]


def column(table: ExerciseTable, index: int) -> list[str]:
    return [table.table.item(r, index).text() for r in range(table.table.rowCount())]


def test_rows_by_name_then_by_number(qtbot: QtBot) -> None:
    table = ExerciseTable()
    qtbot.addWidget(table)
    table.set_stats(ROWS)
    assert column(table, 0) == ["Cat-cow", "glute bridge", "Wall sit"]  # case-insensitive
    assert column(table, 3) == ["—", "8 s", "45 s"]
    assert column(table, 5) == ["13 Mar 2025", "—", "1 Mar 2025"]
    table.table.sortItems(1)
    assert column(table, 1) == ["9", "10", "120"]  # numbers, not "10" < "120" < "9"
    assert table.empty.isHidden()
    table.set_stats([])
    assert not table.empty.isHidden()
