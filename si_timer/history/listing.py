"""``si-timer history``: the sessions as JSON rows or as a table for a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from si_timer import words
from si_timer.history import labels
from si_timer.history.model import SessionSummary

# The documented JSON shape; keep it stable, scripts read it.
HISTORY_KEYS = (
    "id",
    "routine",
    "started_at",
    "ended_at",
    "status",
    "segments_done",
    "segments_total",
    "exercises_done",
    "exercises_total",
    "reps_done",
    "reps_total",
    "pain_before",
    "pain_after",
)


def history_rows(sessions: Iterable[SessionSummary]) -> list[dict[str, Any]]:
    """One dict per session in the documented shape.

    Times are ISO 8601 with the UTC offset of the place where the session
    happened (``2025-03-14T07:15:00+01:00``), so they read as the person
    lived them and still compare exactly.
    """
    rows = []
    for s in sessions:
        end = s.local_end
        rows.append(
            {
                "id": s.id,
                "routine": s.routine,
                "started_at": s.local_start.isoformat(timespec="seconds"),
                "ended_at": end.isoformat(timespec="seconds") if end else None,
                "status": s.status.value,
                "segments_done": s.segments_done,
                "segments_total": s.segments_total,
                "exercises_done": s.exercises_done,
                "exercises_total": s.exercises_total,
                "reps_done": s.reps_done,
                "reps_total": s.reps_total,
                "pain_before": s.pain_before,
                "pain_after": s.pain_after,
            }
        )
    return rows


def parse_day(text: str) -> date:
    """A ``--since``/``--until`` value: ``YYYY-MM-DD``; ValueError says so otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def format_history_table(sessions: Sequence[SessionSummary]) -> str:
    """A plain-text table, one line per session, oldest first, with a total line."""
    if not sessions:
        return "No sessions recorded."
    header = ("Date", "Time", "Routine", "Status", "Exercises", "Reps", "Active", "Pain")
    body = [
        (
            s.local_day.isoformat(),
            words.time_text(s.local_start),
            s.routine_name,
            labels.SESSION_STATUS[s.status],
            f"{s.exercises_done}/{s.exercises_total}",
            f"{s.reps_done}/{s.reps_total}",
            words.active_time_text(s.active_seconds),
            labels.pain_text(s.pain_before, s.pain_after),
        )
        for s in sessions
    ]
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header))]
    right = {4, 5, 6}  # numbers line up on the right

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    completed = sum(1 for s in sessions if s.status.value == "completed")
    seconds = sum(s.active_seconds for s in sessions)
    lines = [line(header), line(["-" * w for w in widths]), *(line(r) for r in body)]
    lines.append(
        f"{len(sessions)} session{'s' if len(sessions) != 1 else ''}, "
        f"{completed} completed, {words.active_time_text(seconds)} active."
    )
    return "\n".join(lines)
