"""The pain trend chart (QtCharts): two series by week, gaps kept, an empty state."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from si_timer.history.stats import PainWeek
from si_timer.ui.history.charts import PainPanel, PainTrendChart, recent_average_text


def test_points_by_week_with_gaps(qtbot: QtBot) -> None:
    chart = PainTrendChart()
    qtbot.addWidget(chart)
    chart.set_weeks(
        [
            PainWeek(date(2025, 3, 3), 6.0, 4.5, 3),
            PainWeek(date(2025, 3, 17), 5.0, None, 1),  # a week without ratings between
        ]
    )
    before = [(p.x(), p.y()) for p in chart.before.points()]
    after = [(p.x(), p.y()) for p in chart.after.points()]
    assert before == [(0.0, 6.0), (2.0, 5.0)]
    assert after == [(0.0, 4.5)]
    assert chart.x_axis.categoriesLabels() == ["3 Mar", "10 Mar", "17 Mar"]
    assert (chart.y_axis.min(), chart.y_axis.max()) == (0, 10)
    assert chart._stack.currentWidget() is chart.view
    assert not chart.view.grab().isNull()


def test_no_ratings_shows_a_sentence(qtbot: QtBot) -> None:
    chart = PainTrendChart()
    qtbot.addWidget(chart)
    chart.set_weeks([PainWeek(date(2025, 3, 3), 6.0, 4.0, 1)])
    chart.set_weeks([])
    assert chart._stack.currentWidget() is chart.empty
    assert chart.before.count() == 0
    assert "No pain ratings yet" in chart.empty.text()


def test_years_of_weeks_get_month_labels(qtbot: QtBot) -> None:
    chart = PainTrendChart()
    qtbot.addWidget(chart)
    weeks = [
        PainWeek(date.fromordinal(date(2023, 1, 2).toordinal() + 7 * n), 5.0, 3.0, 1)
        for n in range(120)
    ]
    chart.set_weeks(weeks)
    labels = chart.x_axis.categoriesLabels()
    assert 4 <= len(labels) <= 9
    assert labels[0] == "Jan 2023"


def test_the_panel_spans_and_sums_up(qtbot: QtBot) -> None:
    panel = PainPanel()
    qtbot.addWidget(panel)
    today = date(2025, 3, 14)
    assert panel.since(today) == date(2024, 9, 13)  # 26 weeks by default
    with qtbot.waitSignal(panel.range_changed):
        panel.range.setCurrentIndex(3)
    assert panel.since(today) is None
    trend = [PainWeek(date(2025, 3, 3), 6.0, 4.0, 2), PainWeek(date(2025, 3, 10), 4.0, 2.0, 1)]
    panel.set_trend(trend, today)
    assert "<b>5.0</b> before" in panel.summary.text()
    assert "<b>3.0</b> after" in panel.summary.text()
    assert recent_average_text(trend, date(2025, 6, 1)) == "No ratings in the last four weeks."
    assert recent_average_text([], today) == ""
