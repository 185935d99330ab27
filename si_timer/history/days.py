"""The person's days: which day a session belongs to, what each day shows, streaks.

A day is the local calendar day on the wall clock where the session *started*
(its UTC start plus the UTC offset the player recorded then).  So a session
crossing midnight counts on its start day; a daylight-saving change cannot
make a day twice or lose one, because each session is placed once by its own
offset; and travel does not move old sessions, because the machine's current
time zone is never used to place them.

Day rules, in order:

* **full** - every routine completed that day met its times-per-day goal
  (``times_per_day`` in the plan, 1 when absent); a session of another routine
  that did all of a routine's exercises counts toward it too (the full
  session, which holds the five morning stretches, counts for the morning);
* **half** - something was completed but a goal was not met yet
  (e.g. morning stretches once of twice);
* **rest** / **sick** - the person marked the day and completed nothing;
* **partial** - sessions were cut short or abandoned after doing some work;
* **none** - nothing (a session with no work done is not a session: neither
  listed nor counted).

Streaks count the days with some work done: full, half or partial days ("you
showed up"), also when the person marked the day as well.  A
marked rest or sick day neither breaks a streak nor adds to it.  Today only
extends a streak: the day is not over, so an empty today does not break it.
"""

from __future__ import annotations

import bisect
import calendar
import enum
import itertools
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta

from si_timer.history.model import DayMark, require_aware
from si_timer.records import record


def local_day(started_at: datetime, utc_offset_minutes: int) -> date:
    """The person's day for a session that started at ``started_at`` (aware)."""
    require_aware(started_at, "started_at")
    return (started_at.astimezone(UTC) + timedelta(minutes=utc_offset_minutes)).date()


def local_offset_minutes(moment: datetime) -> int:
    """The offset from UTC of this machine's time zone at ``moment`` (for the player)."""
    require_aware(moment, "moment")
    offset = moment.astimezone().utcoffset()
    assert offset is not None  # astimezone() always gives a fixed offset
    return round(offset.total_seconds() / 60)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week (ISO weeks)."""
    return day - timedelta(days=day.weekday())


def days_between(first: date, last: date) -> Iterable[date]:
    """Every day from ``first`` to ``last``, both included."""
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


class DayStatus(enum.StrEnum):
    FULL = "full"
    HALF = "half"
    PARTIAL = "partial"
    REST = "rest"
    SICK = "sick"
    NONE = "none"


@record(frozen=True)
class RoutineDay:
    """One routine's sessions on one day."""

    routine: str
    goal: int  # times per day, at least 1
    completed: int  # sessions completed
    partial: int  # sessions not completed that did some work
    empty: int  # sessions that did no work (started, then stopped)
    credited: int = 0  # sessions of other routines that did all of this one's exercises

    @property
    def toward_goal(self) -> int:
        """Sessions that count toward this routine's daily goal."""
        return self.completed + self.credited


@record(frozen=True)
class DayActivity:
    """Everything that happened on one local day."""

    day: date
    routines: tuple[RoutineDay, ...] = ()
    active_seconds: float = 0.0
    mark: DayMark | None = None

    @property
    def sessions(self) -> int:
        return sum(r.completed + r.partial + r.empty for r in self.routines)

    @property
    def completed(self) -> int:
        return sum(r.completed for r in self.routines)

    @property
    def minutes(self) -> float:
        return self.active_seconds / 60.0

    @property
    def goal_progress(self) -> tuple[int, int] | None:
        """(done, goal) of the routine furthest from its goal, among those
        completed today; None when nothing was completed."""
        done = [r for r in self.routines if r.completed > 0]
        if not done:
            return None
        worst = min(done, key=lambda r: min(1.0, r.toward_goal / r.goal))
        return (min(worst.toward_goal, worst.goal), worst.goal)

    @property
    def status(self) -> DayStatus:
        progress = self.goal_progress
        if progress is not None:
            return DayStatus.FULL if progress[0] >= progress[1] else DayStatus.HALF
        if self.mark is DayMark.REST:
            return DayStatus.REST
        if self.mark is DayMark.SICK:
            return DayStatus.SICK
        if any(r.partial for r in self.routines):
            return DayStatus.PARTIAL
        return DayStatus.NONE

    @property
    def counts_for_streak(self) -> bool:
        """Some work was done (a rest mark on the same day does not undo that)."""
        return any(r.completed or r.partial for r in self.routines)


@record(frozen=True)
class DayCell:
    """One cell of the month grid."""

    activity: DayActivity
    in_month: bool
    is_today: bool
    is_future: bool

    @property
    def day(self) -> date:
        return self.activity.day


@record(frozen=True)
class MonthSummary:
    year: int
    month: int
    weeks: tuple[tuple[DayCell, ...], ...]  # six rows of seven days, Monday first

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    def cells_in_month(self) -> list[DayCell]:
        return [cell for week in self.weeks for cell in week if cell.in_month]


def month_grid(year: int, month: int) -> list[list[date]]:
    """Six weeks of days, Monday first, covering the month (a steady grid height)."""
    first = date(year, month, 1)
    start = week_start(first)
    return [[start + timedelta(days=7 * w + d) for d in range(7)] for w in range(6)]


def month_summary(
    year: int, month: int, activity: Mapping[date, DayActivity], today: date
) -> MonthSummary:
    """The month grid with each day's activity; ``activity`` may miss empty days."""
    weeks = tuple(
        tuple(
            DayCell(
                activity=activity.get(day) or DayActivity(day),
                in_month=day.month == month,
                is_today=day == today,
                is_future=day > today,
            )
            for day in week
        )
        for week in month_grid(year, month)
    )
    return MonthSummary(year=year, month=month, weeks=weeks)


@record(frozen=True)
class Streaks:
    current: int  # counted days in the streak that is still alive
    best: int
    current_since: date | None  # first counted day of the current streak
    best_since: date | None
    best_until: date | None


def compute_streaks(counted: Iterable[date], marked: Iterable[date], today: date) -> Streaks:
    """Current and best streak of ``counted`` days, bridged by ``marked`` days.

    Runs in O(n log m) for n counted and m marked days, not in the number of
    calendar days, so ten years cost a few milliseconds.
    """
    days = sorted(set(counted))
    # An empty today is not over yet: it bridges like a marked day.
    marks = sorted((set(marked) | {today}) - set(days))
    if not days:
        return Streaks(0, 0, None, None, None)

    def bridged(after: date, before: date) -> bool:
        """True when every day strictly between the two is marked."""
        gap = (before - after).days - 1
        if gap <= 0:
            return True
        lo = bisect.bisect_right(marks, after)
        hi = bisect.bisect_left(marks, before)
        return hi - lo == gap

    best = run = 1
    run_start = best_start = best_end = days[0]
    for prev, cur in itertools.pairwise(days):
        if bridged(prev, cur):
            run += 1
        else:
            run, run_start = 1, cur
        if run > best:
            best, best_start, best_end = run, run_start, cur

    last = days[-1]
    # A day in the future of ``today`` can exist after flying west; it is
    # the newest day then, not a reason to drop the streak.
    alive = last >= today or bridged(last, today)
    if not alive:
        return Streaks(0, best, None, best_start, best_end)
    return Streaks(run, best, run_start, best_start, best_end)


def collect_activity(
    rows: Iterable[tuple[date, str, int, int, int, int, float]],
    marks: Mapping[date, DayMark],
    credit: Mapping[tuple[date, str], int] | None = None,
) -> dict[date, DayActivity]:
    """Build :class:`DayActivity` from per (day, routine) rows:
    ``(day, routine, goal, completed, partial, empty, active_seconds)``, and
    ``credit[(day, routine)]``: other routines' sessions that did all of its exercises."""
    credit = credit or {}
    routines: dict[date, list[RoutineDay]] = {}
    seconds: dict[date, float] = {}
    for day, routine, goal, completed, partial, empty, active in rows:
        routines.setdefault(day, []).append(
            RoutineDay(
                routine, max(1, goal), completed, partial, empty, credit.get((day, routine), 0)
            )
        )
        seconds[day] = seconds.get(day, 0.0) + active
    result = {
        day: DayActivity(day, tuple(items), seconds[day], marks.get(day))
        for day, items in routines.items()
    }
    for day, mark in marks.items():
        if day not in result:
            result[day] = DayActivity(day, mark=mark)
    return result
