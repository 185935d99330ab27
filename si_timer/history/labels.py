"""Words for people: how statuses, ratings and day marks read in lists and exports.

Durations, days and times are in :mod:`si_timer.words`.
"""

from __future__ import annotations

from si_timer.history.days import DayStatus
from si_timer.history.model import DayMark, Difficulty, SessionStatus

SESSION_STATUS = {
    SessionStatus.COMPLETED: "Completed",
    SessionStatus.PARTIAL: "Partial",
    SessionStatus.ABANDONED: "Stopped early",
    SessionStatus.IN_PROGRESS: "In progress",
}

DIFFICULTY = {
    Difficulty.TOO_EASY: "Too easy",
    Difficulty.ABOUT_RIGHT: "About right",
    Difficulty.TOO_HARD: "Too hard",
}

DAY_MARK = {DayMark.REST: "Rest day", DayMark.SICK: "Sick day"}

DAY_STATUS = {
    DayStatus.FULL: "Done",
    DayStatus.HALF: "Half",
    DayStatus.PARTIAL: "Partial",
    DayStatus.REST: "Rest",
    DayStatus.SICK: "Sick",
    DayStatus.NONE: "",
}


def pain_text(before: int | None, after: int | None) -> str:
    """``"4 → 2"``, ``"4 → ?"``, or empty when neither was rated."""
    if before is None and after is None:
        return ""
    left = "?" if before is None else str(before)
    right = "?" if after is None else str(after)
    return f"{left} → {right}"
