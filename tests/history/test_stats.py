"""The year heatmap, weekly totals and pain trend, from plain day data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from si_timer.history.days import DayActivity, RoutineDay
from si_timer.history.stats import (
    HEAT_LEVELS,
    heat_level,
    heat_level_labels,
    pain_by_week,
    weekly_totals,
    year_heatmap,
)

TODAY = date(2025, 3, 14)  # a Friday


def day(offset: int, minutes: float, completed: int = 1, empty: int = 0) -> DayActivity:
    d = TODAY - timedelta(days=offset)
    return DayActivity(d, (RoutineDay("morning", 2, completed, 0, empty),), minutes * 60)


@pytest.mark.parametrize(
    ("minutes", "level"),
    [(0, 0), (0.5, 1), (4.9, 1), (5, 2), (14.9, 2), (15, 3), (29, 3), (30, 4), (300, 4)],
)
def test_heat_levels_are_fixed_minutes(minutes: float, level: int) -> None:
    assert heat_level(minutes) == level


def test_heat_legend_has_one_label_per_level() -> None:
    labels = heat_level_labels()
    assert len(labels) == HEAT_LEVELS
    assert labels == ["none", "under 5 min", "5-15 min", "15-30 min", "30+ min"]


def test_year_heatmap_is_53_whole_weeks_ending_today() -> None:
    activity = {a.day: a for a in (day(0, 12), day(1, 31), day(370, 50))}
    heat = year_heatmap(activity, TODAY)
    assert len(heat.weeks) == 53
    assert all(len(w) == 7 for w in heat.weeks)
    assert heat.first.weekday() == 0
    assert heat.weeks[-1][4] is not None
    assert heat.weeks[-1][4].day == TODAY
    assert heat.weeks[-1][5] is None
    assert heat.weeks[-1][6] is None
    cells = {c.day: c for w in heat.weeks for c in w if c is not None}
    assert cells[TODAY].level == 2
    assert cells[TODAY].sessions == 1
    assert cells[TODAY - timedelta(days=1)].level == 4
    assert TODAY - timedelta(days=370) not in cells  # older than a year
    assert heat.active_days == 2
    assert heat.total_minutes == pytest.approx(43)


def test_weekly_totals_newest_first_with_empty_weeks() -> None:
    activity = {a.day: a for a in (day(0, 10), day(1, 20, completed=0, empty=1), day(8, 5))}
    weeks = weekly_totals(activity, TODAY, weeks=3)
    assert [w.week_start for w in weeks] == [date(2025, 3, 10), date(2025, 3, 3), date(2025, 2, 24)]
    this, last, before = weeks
    assert (this.sessions, this.completed, this.active_days) == (2, 1, 1)
    assert this.minutes == pytest.approx(30)
    assert last.sessions == 1
    assert last.minutes == pytest.approx(5)
    assert (before.sessions, before.minutes, before.active_days) == (0, 0, 0)


def test_pain_by_week_averages_each_side_separately() -> None:
    points = [
        (date(2025, 3, 10), 6, 4),
        (date(2025, 3, 12), 4, None),
        (date(2025, 3, 13), None, None),  # no rating: ignored
        (date(2025, 3, 3), None, 2),
    ]
    weeks = pain_by_week(points)
    assert [w.week_start for w in weeks] == [date(2025, 3, 3), date(2025, 3, 10)]
    first, second = weeks
    assert (first.before, first.after, first.ratings) == (None, 2, 1)
    assert (second.before, second.after, second.ratings) == (5, 4, 2)
