"""What the home screen says about the person's history: greeting, today, streak, last done.

Plain rules on plain values: the time is always a parameter, so a test can ask
what the home screen says at 07:00 or 21:30 on any day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

from si_timer.library.model import Routine
from si_timer.records import record
from si_timer.words import days_ago_text

if TYPE_CHECKING:  # (these load with the history, after the first paint)
    from si_timer.history.model import RoutineUsage
    from si_timer.history.queries import HistoryQueries

# The big button's routine when nothing is chosen and nothing has been done yet.
FIRST_ROUTINE = "morning"

NOT_DONE_YET = "Not done yet"
HISTORY_OFF = "History is off for now; sessions still run."
NOTHING_TODAY = "Nothing yet today. A few gentle minutes is plenty."


@record(frozen=True)
class HomeStatus:
    """The home screen's header: ``"Good morning"``, what was done today, the streak."""

    greeting: str
    status: str
    streak: str  # empty when there is no streak to speak of


MORNING_STARTS = 5  # the hour "Good morning" begins; before it, it is still evening


def greeting(now: datetime) -> str:
    """By the hour on ``now``'s own clock: pass local time (naive local, or aware).

    The small hours still belong to the evening before: "Good morning" at 01:00
    reads as a joke to someone up with a sore back."""
    if now.hour < MORNING_STARTS:
        return "Good evening"
    if now.hour < 12:
        return "Good morning"
    return "Good afternoon" if now.hour < 18 else "Good evening"


def hero_routine(
    favourite: str, routines: Mapping[str, Routine], usage: Mapping[str, RoutineUsage]
) -> str:
    """The routine the big button starts: the chosen one, else the most done, else morning.

    Ties in "most done" go to the id that sorts last, as they always have; an
    empty library gives ``""``.
    """
    if favourite in routines:
        return favourite
    done = [(u.count, rid) for rid, u in usage.items() if rid in routines and u.count > 0]
    if done:
        return max(done)[1]
    return FIRST_ROUTINE if FIRST_ROUTINE in routines else next(iter(routines), "")


def last_done_text(usage: RoutineUsage | None, today: date) -> str:
    """``"Today"``, ``"3 days ago"``, ``"4 Mar 2026"``, or ``"Not done yet"``."""
    return days_ago_text(usage.last_day, today) if usage is not None else NOT_DONE_YET


def streak_text(current: int) -> str:
    """``"🔥 5-day streak"``, ``"1 day in a row"``, or empty."""
    if current > 1:
        return f"🔥 {current}-day streak"
    return "1 day in a row" if current == 1 else ""


def home_status(
    store: HistoryQueries | None, routines: Mapping[str, Routine], now: datetime
) -> HomeStatus:
    """The header at local time ``now``; ``store`` is None when history is off."""
    hello = greeting(now)
    if store is None:
        return HomeStatus(hello, HISTORY_OFF, "")
    today = now.date()
    activity = store.day_activity(today, today).get(today)
    names: dict[str, str] = {}  # routine id -> name as recorded, in the order done
    for s in store.sessions_on(today):
        names.setdefault(s.routine, s.routine_name)
    parts = []
    days = activity.routines if activity else ()
    for day in sorted(
        days, key=lambda d: list(names).index(d.routine) if d.routine in names else 0
    ):
        name = names.get(day.routine, day.routine)
        routine = routines.get(day.routine)
        goal = routine.times_per_day if routine else None
        n = day.toward_goal
        if n == 0:
            if day.partial:
                parts.append(f"part of {name}")
        elif goal and goal > 1:
            parts.append(f"{name} {min(n, goal)} of {goal}")
        else:
            parts.append(name + (f" ×{n}" if n > 1 else ""))
    status = "Done today: " + ", ".join(parts) if parts else NOTHING_TODAY
    return HomeStatus(hello, status, streak_text(store.streaks(today).current))
