"""Words for people: how statuses, ratings and durations read in lists and exports."""

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


def minutes_text(seconds: float) -> str:
    """``"0 min"``, ``"45 s"``, ``"8 min"``, ``"1 h 05 min"``."""
    if seconds <= 0:
        return "0 min"
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def pain_text(before: int | None, after: int | None) -> str:
    """``"4 → 2"``, ``"4 → ?"``, or empty when neither was rated."""
    if before is None and after is None:
        return ""
    left = "?" if before is None else str(before)
    right = "?" if after is None else str(after)
    return f"{left} → {right}"
