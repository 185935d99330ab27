"""The year heatmap: one square per day, darker for more minutes, with a legend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from si_timer.history.days import DayActivity, RoutineDay
from si_timer.history.stats import year_heatmap
from si_timer.ui.history.heatmap import YearHeatmap, cell_tooltip
from si_timer.ui.history.style import history_colours

TODAY = date(2025, 3, 14)


def minutes(offset: int, amount: float) -> DayActivity:
    return DayActivity(TODAY - timedelta(days=offset), (RoutineDay("m", 1, 2, 0, 0),), amount * 60)


@pytest.fixture
def heatmap(qtbot: QtBot) -> YearHeatmap:
    widget = YearHeatmap()
    qtbot.addWidget(widget)
    widget.resize(1100, 240)
    activity = {a.day: a for a in (minutes(0, 40), minutes(1, 3), minutes(9, 12))}
    widget.set_heatmap(year_heatmap(activity, TODAY))
    return widget


def test_each_day_has_its_square(heatmap: YearHeatmap) -> None:
    heat = heatmap.heatmap
    assert heat is not None
    first = heatmap.cell_rect(heat.first)
    last = heatmap.cell_rect(TODAY)
    assert first is not None
    assert last is not None
    assert last.left() > first.left()  # later weeks to the right
    assert heatmap.cell_rect(TODAY + timedelta(days=1)) is None
    cell = heatmap.cell_at(last.center())
    assert cell is not None
    assert (cell.day, cell.level, cell.sessions) == (TODAY, 4, 2)
    assert "40 min · 2 sessions" in cell_tooltip(cell)


def test_colours_follow_the_minutes(heatmap: YearHeatmap) -> None:
    colours = history_colours(heatmap.palette())
    image = heatmap.grab().toImage()

    def colour_at(day: date) -> str:
        rect = heatmap.cell_rect(day)
        assert rect is not None
        return image.pixelColor(rect.center().toPoint()).name()

    assert colour_at(TODAY) == colours.heat[4].name()
    assert colour_at(TODAY - timedelta(days=1)) == colours.heat[1].name()
    assert colour_at(TODAY - timedelta(days=9)) == colours.heat[2].name()
    assert colour_at(TODAY - timedelta(days=30)) == colours.heat[0].name()


def test_clicking_a_square_announces_its_day(qtbot: QtBot, heatmap: YearHeatmap) -> None:
    rect = heatmap.cell_rect(TODAY - timedelta(days=9))
    assert rect is not None
    with qtbot.waitSignal(heatmap.day_selected) as blocker:
        qtbot.mouseClick(heatmap, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args == [TODAY - timedelta(days=9)]


def test_tooltips_for_squares_and_legend(heatmap: YearHeatmap) -> None:
    rect = heatmap.cell_rect(TODAY - timedelta(days=30))
    assert rect is not None
    assert heatmap.tooltip_at(rect.center()) == "Fri 12 Feb 2025: nothing recorded".replace(
        "Fri", f"{TODAY - timedelta(days=30):%a}"
    )
    legend = heatmap.tooltip_at(QPointF(heatmap.width() - 60, heatmap.cell_bottom() + 16))
    assert legend is not None
    assert "30+ min" in legend
    assert "3 active days" in heatmap.accessibleDescription()
