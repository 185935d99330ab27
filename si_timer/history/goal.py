"""What the person planned to do: sessions of each routine on each weekday.

A report counts sessions "of planned": the plan is the person's reminders when
they set some (a reminder on Mondays and Thursdays plans two sessions a week),
else each routine's own times per day.  Plain values, so the report's numbers
are tested without settings or a library.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from si_timer.records import record
from si_timer.session.reminders import ReminderSlot


class GoalSource(enum.StrEnum):
    REMINDERS = "your reminders"
    TIMES_PER_DAY = "each routine's times per day"


@record(frozen=True)
class RoutineGoal:
    """Sessions of one routine planned on each weekday (Monday first)."""

    routine: str
    per_weekday: tuple[int, int, int, int, int, int, int]

    def on(self, day: date) -> int:
        return self.per_weekday[day.weekday()]

    @property
    def often_text(self) -> str:
        """``"2 a day"``, or ``"5 a week"`` when the days differ."""
        if len(set(self.per_weekday)) == 1:
            return f"{self.per_weekday[0]} a day"
        return f"{sum(self.per_weekday)} a week"


@record(frozen=True)
class Goal:
    routines: tuple[RoutineGoal, ...]
    source: GoalSource

    @property
    def per_week(self) -> int:
        return sum(sum(g.per_weekday) for g in self.routines)


def goal_from_reminders(slots: Iterable[ReminderSlot]) -> Goal | None:
    """One planned session per reminder on each of its days; None without reminders."""
    counts: dict[str, list[int]] = {}
    for slot in slots:
        week = counts.setdefault(slot.routine, [0] * 7)
        for weekday in slot.days:
            week[weekday] += 1
    if not counts:
        return None
    return Goal(
        tuple(RoutineGoal(r, _week(c)) for r, c in sorted(counts.items())), GoalSource.REMINDERS
    )


def goal_from_times_per_day(times_per_day: Mapping[str, int | None]) -> Goal | None:
    """Every day, each routine that says how often a day it is meant to be done."""
    goals = tuple(
        RoutineGoal(r, _week([n] * 7)) for r, n in sorted(times_per_day.items()) if n and n > 0
    )
    return Goal(goals, GoalSource.TIMES_PER_DAY) if goals else None


def _week(counts: Sequence[int]) -> tuple[int, int, int, int, int, int, int]:
    a, b, c, d, e, f, g = counts
    return (a, b, c, d, e, f, g)
