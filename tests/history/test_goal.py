"""What was planned: from reminders, or from each routine's times per day."""

from __future__ import annotations

from datetime import date, time

from si_timer.history.goal import GoalSource, goal_from_reminders, goal_from_times_per_day
from si_timer.session.reminders import ReminderSlot


def test_each_reminder_plans_a_session_on_each_of_its_days() -> None:
    goal = goal_from_reminders(
        [
            ReminderSlot(time(8), "morning"),
            ReminderSlot(time(19), "morning", frozenset({5, 6})),
            ReminderSlot(time(12), "core-strength", frozenset({0, 3})),
        ]
    )
    assert goal is not None
    assert goal.source is GoalSource.REMINDERS
    routines = {g.routine: g for g in goal.routines}
    assert routines["morning"].per_weekday == (1, 1, 1, 1, 1, 2, 2)
    assert routines["morning"].on(date(2025, 3, 15)) == 2  # a Saturday
    assert routines["morning"].often_text == "9 a week"
    assert routines["core-strength"].often_text == "2 a week"
    assert goal.per_week == 11


def test_times_per_day_plan_only_routines_that_say_how_often() -> None:
    goal = goal_from_times_per_day({"morning": 2, "strength": None, "evening": 0})
    assert goal is not None
    assert goal.source is GoalSource.TIMES_PER_DAY
    assert [(g.routine, g.often_text) for g in goal.routines] == [("morning", "2 a day")]
    assert goal.per_week == 14


def test_no_reminders_and_no_times_plan_nothing() -> None:
    assert goal_from_reminders([]) is None
    assert goal_from_times_per_day({"strength": None}) is None
