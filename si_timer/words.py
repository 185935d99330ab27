"""Words for people: how durations, doses, clocks, days and times read, everywhere.

The command line, the home screen, the player, the summary and the history
views all say "6 min", "Yesterday" or "Tuesday 08:05" through these
functions, so one routine never reads two ways.  Month and weekday names come
from ``strftime`` and so follow the C library's locale, as they always have.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from si_timer.library.model import Dose, DoseMode

# A day this many days back or more is named by its date, not "N days ago".
DATED_AFTER_DAYS = 14

# --- durations -------------------------------------------------------------------


def duration_text(seconds: float) -> str:
    """To the second: ``"5 min 20 s"``, ``"6 min"``, ``"45 s"`` (the command line's totals)."""
    minutes, secs = divmod(round(seconds), 60)
    if minutes and secs:
        return f"{minutes} min {secs} s"
    return f"{minutes} min" if minutes else f"{secs} s"


def minutes_text(seconds: float) -> str:
    """To the minute: ``"6 min"``, ``"under a minute"`` (how long a routine takes)."""
    minutes = round(seconds / 60)
    return "under a minute" if minutes < 1 else f"{minutes} min"


def session_time_text(seconds: float) -> str:
    """A session just ended: ``"6 min"``, or ``"20 s"`` when it rounds to no minutes."""
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes else f"{round(seconds)} s"


def active_time_text(seconds: float) -> str:
    """Time exercised, in lists: ``"0 min"``, ``"45 s"``, ``"8 min"``, ``"1 h 05 min"``."""
    if seconds <= 0:
        return "0 min"
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"


# --- doses ----------------------------------------------------------------------


def dose_text(dose: Dose) -> str:
    """The dose in a line: "Hold 15 s · 2 reps · 3 sets, rest 60 s"."""
    parts = []
    if dose.mode is DoseMode.HOLD and dose.hold is not None:
        parts.append(f"Hold {dose.hold} s")
    elif dose.mode is DoseMode.TEMPO:
        parts.append(" then ".join(f"{p.name} {p.seconds:g} s" for p in dose.tempo))
    else:
        parts.append("At your own pace")
    if dose.reps is not None:
        parts.append(f"{dose.reps} reps" if str(dose.reps) != "1" else "1 rep")
    if dose.sets > 1:
        rest = f", rest {dose.rest} s" if dose.rest is not None else ""
        parts.append(f"{dose.sets} sets{rest}")
    return " · ".join(parts)


# --- clocks ----------------------------------------------------------------------


COUNTDOWN_SECONDS_UP_TO = 99  # two digits read from the floor; "1:40" and on past that


def clock_text(seconds: float) -> str:
    """A countdown: whole seconds rounded up, ``"45"``, ``"90"``, then ``"1:40"`` from
    100 seconds on (two digits fill the ring larger than four characters)."""
    whole = max(0, math.ceil(seconds - 1e-6))
    return stopwatch_text(whole) if whole > COUNTDOWN_SECONDS_UP_TO else str(whole)


def stopwatch_text(seconds: float) -> str:
    """Time gone by, whole seconds rounded down: ``"0:07"``, ``"12:30"``."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{secs:02d}"


# --- days ------------------------------------------------------------------------


def relative_day_text(day: date, today: date) -> str | None:
    """``"Today"`` or ``"Yesterday"``; None for any other day."""
    delta = (today - day).days
    if delta <= 0:
        return "Today"
    return "Yesterday" if delta == 1 else None


def days_ago_text(day: date, today: date) -> str:
    """``"Today"``, ``"Yesterday"``, ``"3 days ago"``, then the date: ``"4 Mar 2026"``."""
    relative = relative_day_text(day, today)
    if relative is not None:
        return relative
    delta = (today - day).days
    return f"{delta} days ago" if delta < DATED_AFTER_DAYS else date_text(day)


def date_text(day: date) -> str:
    """``"4 Mar 2026"``."""
    return f"{day.day} {day:%b %Y}"


def long_date_text(day: date) -> str:
    """``"4 March 2026"``."""
    return f"{day.day} {day:%B %Y}"


def day_month_text(day: date) -> str:
    """``"4 Mar"``."""
    return f"{day.day} {day:%b}"


def month_text(day: date) -> str:
    """``"Mar"``."""
    return f"{day:%b}"


def month_year_text(day: date) -> str:
    """``"Mar 2026"``."""
    return f"{day:%b %Y}"


def month_heading_text(year: int, month: int) -> str:
    """A month on its own: ``"March 2026"``."""
    return f"{date(year, month, 1):%B} {year}"


def weekday_day_text(day: date) -> str:
    """``"Wednesday 4 March"``."""
    return f"{day:%A} {day.day} {day:%B}"


def weekday_date_text(day: date) -> str:
    """``"Wednesday 4 March 2026"``."""
    return f"{weekday_day_text(day)} {day.year}"


def short_weekday_date_text(day: date) -> str:
    """``"Wed 4 Mar 2026"``."""
    return f"{day:%a} {date_text(day)}"


def date_span_text(first: date, last: date) -> str:
    """``"3 – 21 Mar 2025"``, ``"28 Feb – 3 Mar 2025"``, ``"30 Dec 2024 – 2 Jan 2025"``."""
    if first == last:
        return date_text(first)
    if first.year != last.year:
        return f"{date_text(first)} – {date_text(last)}"
    if first.month != last.month:
        return f"{day_month_text(first)} – {date_text(last)}"
    return f"{first.day} – {date_text(last)}"


# --- times of day ------------------------------------------------------------------


def time_text(moment: datetime) -> str:
    """The clock time as it was where ``moment`` happened: ``"08:05"``."""
    return f"{moment:%H:%M}"


def time_span_text(start: datetime, end: datetime | None) -> str:
    """``"08:05–08:14"``, or ``"08:05"`` while there is no end."""
    return time_text(start) + (f"–{time_text(end)}" if end is not None else "")


def weekday_time_text(moment: datetime) -> str:
    """``"Tuesday 08:05"``, in ``moment``'s own time zone."""
    return f"{moment:%A} {time_text(moment)}"
