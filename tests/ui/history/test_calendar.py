"""The month calendar widget, driven through its own methods and qtbot."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from si_timer.history.days import DayActivity, DayStatus, RoutineDay, month_summary
from si_timer.history.model import DayMark
from si_timer.ui.history.calendar import CalendarLegend, MonthCalendar, day_tooltip, status_word
from si_timer.ui.history.style import history_colours

TODAY = date(2025, 3, 14)


def activity(day: int, *routines: RoutineDay, mark: DayMark | None = None) -> DayActivity:
    return DayActivity(date(2025, 3, day), routines, 900.0, mark)


ACTIVITY = {
    a.day: a
    for a in (
        activity(3, RoutineDay("morning", 2, 2, 0, 0)),
        activity(4, RoutineDay("morning", 2, 1, 0, 0)),
        activity(5, RoutineDay("strength", 1, 0, 1, 0)),
        activity(6, mark=DayMark.REST),
        activity(7, mark=DayMark.SICK),
        activity(14, RoutineDay("morning", 2, 1, 0, 0)),
    )
}


@pytest.fixture
def calendar(qtbot: QtBot) -> MonthCalendar:
    widget = MonthCalendar()
    qtbot.addWidget(widget)
    widget.resize(760, 520)
    widget.set_summary(month_summary(2025, 3, ACTIVITY, TODAY))
    return widget


def centre(calendar: MonthCalendar, day: date) -> QPoint:
    rect = calendar.cell_rect(day)
    assert rect is not None, day
    return rect.center().toPoint()


def test_words_say_what_each_day_was() -> None:
    words = {d.day: status_word(a) for d, a in ACTIVITY.items()}
    assert words == {3: "Done", 4: "1 of 2", 5: "Partial", 6: "Rest", 7: "Sick", 14: "1 of 2"}
    assert "Daily goal: 1 of 2 done" in day_tooltip(ACTIVITY[date(2025, 3, 4)])
    assert "Rest day" in day_tooltip(ACTIVITY[date(2025, 3, 6)])
    assert "Nothing recorded" in day_tooltip(DayActivity(date(2025, 3, 9)))


def test_the_grid_starts_on_monday_and_holds_six_weeks(calendar: MonthCalendar) -> None:
    cells = calendar.cells()
    assert len(cells) == 42
    assert cells[0].day == date(2025, 2, 24)
    assert calendar.day_at(QPointF(centre(calendar, date(2025, 3, 14)))) == date(2025, 3, 14)
    assert calendar.day_at(QPointF(5, 5)) is None  # the weekday header


def test_clicking_a_day_selects_and_announces_it(qtbot: QtBot, calendar: MonthCalendar) -> None:
    with qtbot.waitSignal(calendar.day_selected) as blocker:
        qtbot.mouseClick(
            calendar, Qt.MouseButton.LeftButton, pos=centre(calendar, date(2025, 3, 5))
        )
    assert blocker.args == [date(2025, 3, 5)]
    assert calendar.selected == date(2025, 3, 5)


def test_keys_move_the_selection_and_change_month(qtbot: QtBot, calendar: MonthCalendar) -> None:
    calendar.set_selected(date(2025, 3, 14))
    chosen: list[date] = []
    steps: list[int] = []
    calendar.day_selected.connect(chosen.append)
    calendar.month_step_requested.connect(steps.append)
    qtbot.keyClick(calendar, Qt.Key.Key_Right)
    qtbot.keyClick(calendar, Qt.Key.Key_Down)
    qtbot.keyClick(calendar, Qt.Key.Key_Left)
    qtbot.keyClick(calendar, Qt.Key.Key_Up)
    qtbot.keyClick(calendar, Qt.Key.Key_Return)
    qtbot.keyClick(calendar, Qt.Key.Key_PageDown)
    qtbot.keyClick(calendar, Qt.Key.Key_PageUp)
    assert chosen == [
        date(2025, 3, 15),
        date(2025, 3, 22),
        date(2025, 3, 21),
        date(2025, 3, 14),
        date(2025, 3, 14),
    ]
    assert steps == [1, -1]


def pixel(calendar: MonthCalendar, point: QPointF) -> QColor:
    return calendar.grab().toImage().pixelColor(point.toPoint())


def close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_today_and_statuses_are_painted_in_their_colours(calendar: MonthCalendar) -> None:
    colours = history_colours(calendar.palette())
    today_rect = calendar.cell_rect(TODAY)
    assert today_rect is not None
    # The day number sits on an accent-coloured pill at the top left.
    number = QPointF(today_rect.left() + 12, today_rect.top() + 16)
    assert close(pixel(calendar, number), colours.accent)
    # A full day's disc is in the "done" colour, a sick day's pill in "sick".
    image = calendar.grab().toImage()

    def has_colour(day: date, colour: QColor) -> bool:
        rect = calendar.cell_rect(day)
        assert rect is not None
        return any(
            close(image.pixelColor(x, y), colour, 24)
            for x in range(int(rect.left()), int(rect.right()), 2)
            for y in range(int(rect.center().y()), int(rect.bottom()), 2)
        )

    assert has_colour(date(2025, 3, 3), colours.done)
    assert has_colour(date(2025, 3, 7), colours.sick)
    assert has_colour(date(2025, 3, 6), colours.rest)
    assert not has_colour(date(2025, 3, 10), colours.done)  # an empty day


def test_dark_palette_gets_the_dark_colours(calendar: MonthCalendar) -> None:
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#10151c"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#18202a"))
    light_done = history_colours(calendar.palette()).done
    calendar.setPalette(dark)
    assert history_colours(calendar.palette()).dark
    assert history_colours(calendar.palette()).done != light_done


def test_tooltips_describe_the_day(calendar: MonthCalendar) -> None:
    text = calendar.tooltip_at(QPointF(centre(calendar, date(2025, 3, 4))))
    assert text is not None
    assert text.startswith("Tuesday 4 March 2025")
    assert "1 of 2" in text
    assert calendar.tooltip_at(QPointF(3, 3)) is None


def test_the_legend_names_every_symbol(qtbot: QtBot) -> None:
    legend = CalendarLegend()
    qtbot.addWidget(legend)
    legend.resize(700, 30)
    assert not legend.grab().isNull()
    for word in ("Daily goal met", "Part of the goal", "Started", "Rest day", "Sick day"):
        assert word in legend.accessibleName()
    assert DayStatus.FULL in dict(CalendarLegend.ITEMS)
