"""Numbers over many days: the year heatmap, weekly totals and the pain trend.

Plain functions over plain data, so they are tested without a database and the
views only draw what they return.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from si_timer.history.days import DayActivity, week_start
from si_timer.records import record

# Minutes per day at which a heatmap cell moves up a level (level 0 is none).
# Fixed, not relative to the person's busiest day, so a colour always means
# the same amount: one short stretch round, a full morning, a long day.
HEAT_LEVEL_MINUTES: tuple[float, ...] = (0.0, 5.0, 15.0, 30.0)
HEAT_LEVELS = len(HEAT_LEVEL_MINUTES) + 1


def heat_level(minutes: float) -> int:
    """0 for nothing, then 1..4 by :data:`HEAT_LEVEL_MINUTES`."""
    level = 0
    for index, threshold in enumerate(HEAT_LEVEL_MINUTES):
        if minutes > threshold if index == 0 else minutes >= threshold:
            level = index + 1
    return level


def heat_level_labels() -> list[str]:
    """Legend text for each level, e.g. ``["none", "under 5 min", ...]``."""
    bounds = HEAT_LEVEL_MINUTES
    labels = ["none", f"under {bounds[1]:g} min"]
    labels += [f"{lo:g}-{hi:g} min" for lo, hi in itertools.pairwise(bounds[1:])]
    labels.append(f"{bounds[-1]:g}+ min")
    return labels


@record(frozen=True)
class HeatCell:
    day: date
    minutes: float
    level: int
    sessions: int


@record(frozen=True)
class Heatmap:
    """Whole weeks (Monday first) from ``first`` to the week holding ``last``."""

    first: date  # a Monday
    last: date  # the last day shown (today); later days of its week are blank
    weeks: tuple[tuple[HeatCell | None, ...], ...]  # None: after ``last``
    total_minutes: float
    active_days: int


def year_heatmap(activity: Mapping[date, DayActivity], today: date, weeks: int = 53) -> Heatmap:
    """The last ``weeks`` weeks up to ``today``, like a contribution graph."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    columns: list[tuple[HeatCell | None, ...]] = []
    total = 0.0
    active = 0
    for w in range(weeks):
        column: list[HeatCell | None] = []
        for d in range(7):
            day = first + timedelta(days=7 * w + d)
            if day > today:
                column.append(None)
                continue
            act = activity.get(day)
            minutes = act.minutes if act else 0.0
            sessions = act.sessions if act else 0
            total += minutes
            active += 1 if minutes > 0 else 0
            column.append(HeatCell(day, minutes, heat_level(minutes), sessions))
        columns.append(tuple(column))
    return Heatmap(first, today, tuple(columns), total, active)


@record(frozen=True)
class WeekTotal:
    week_start: date
    sessions: int
    completed: int
    minutes: float
    active_days: int  # days that count for a streak


def weekly_totals(
    activity: Mapping[date, DayActivity], today: date, weeks: int = 12
) -> list[WeekTotal]:
    """The last ``weeks`` weeks, newest first, empty weeks included."""
    newest = week_start(today)
    totals: list[WeekTotal] = []
    for w in range(weeks):
        start = newest - timedelta(weeks=w)
        days = [activity.get(start + timedelta(days=d)) for d in range(7)]
        present = [a for a in days if a is not None]
        totals.append(
            WeekTotal(
                week_start=start,
                sessions=sum(a.sessions for a in present),
                completed=sum(a.completed for a in present),
                minutes=sum(a.minutes for a in present),
                active_days=sum(1 for a in present if a.counts_for_streak),
            )
        )
    return totals


@record(frozen=True)
class PainWeek:
    week_start: date
    before: float | None  # mean of the ratings given that week
    after: float | None
    ratings: int  # sessions with at least one rating


def pain_by_week(points: Iterable[tuple[date, int | None, int | None]]) -> list[PainWeek]:
    """Mean pain before and after per week, oldest first; weeks without ratings are left out."""
    sums: dict[date, list[float]] = {}
    for day, before, after in points:
        if before is None and after is None:
            continue
        acc = sums.setdefault(week_start(day), [0.0, 0.0, 0.0, 0.0, 0.0])
        if before is not None:
            acc[0] += before
            acc[1] += 1
        if after is not None:
            acc[2] += after
            acc[3] += 1
        acc[4] += 1
    return [
        PainWeek(
            week_start=start,
            before=acc[0] / acc[1] if acc[1] else None,
            after=acc[2] / acc[3] if acc[3] else None,
            ratings=int(acc[4]),
        )
        for start, acc in sorted(sums.items())
    ]
