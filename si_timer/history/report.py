"""The report for the clinician: a few weeks of history, read in a minute.

:func:`clinician_report` asks the history store the questions the views ask
(sessions, days, tallies, the journal) for one date range and returns a frozen
:class:`ClinicianReport`: one summary line on top ("12 of 14 planned sessions
in 4 weeks; pain 5 → 3"), then the weeks, each exercise's adherence, the pain
ratings over time, the difficulty ratings, the notes and the routines done
with their doses.  The PDF (``ui/printing/report.py``) only lays it out.

Honest numbers: an exercise counts as done by the same rules as everywhere
(:mod:`si_timer.history.tally`); a planned session comes from the person's
reminders when they set some, else from each routine's times per day; today
is not over, so it can add to what was done but never counts as missed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from si_timer.history.days import DayActivity, days_between
from si_timer.history.doses import ExerciseDose, plan_doses
from si_timer.history.goal import Goal, goal_from_reminders, goal_from_times_per_day
from si_timer.history.labels import DIFFICULTY
from si_timer.history.model import Difficulty, SessionStatus, SessionSummary
from si_timer.history.plan import pretty_id
from si_timer.history.queries import HistoryQueries
from si_timer.history.tally import ExerciseResult, SessionTally
from si_timer.records import record, replace
from si_timer.session.reminders import ReminderSlot
from si_timer.words import active_time_text, date_span_text, minutes_text

DEFAULT_DAYS = 28  # "the last four weeks"
PAIN_SCALE = "0 = no pain, 10 = worst"


def default_range(today: date) -> tuple[date, date]:
    """The last four weeks, today included."""
    return today - timedelta(days=DEFAULT_DAYS - 1), today


# --- what the report holds -------------------------------------------------------------


@record(frozen=True)
class ReportWeek:
    """Seven days from the range's start (the last may be shorter)."""

    first: date
    last: date
    sessions: int
    completed: int
    planned: int | None  # None: no goal
    planned_done: int
    active_seconds: float
    active_days: int

    @property
    def label(self) -> str:
        return date_span_text(self.first, self.last)

    @property
    def time_text(self) -> str:
        return active_time_text(self.active_seconds)


@record(frozen=True)
class ExerciseAdherence:
    """One exercise over the range: in how many sessions it was planned, and how it went."""

    exercise: str
    name: str
    planned: int
    done: int
    partly: int
    skipped: int
    skipped_pain: int
    not_reached: int  # the session stopped before it
    reps_done: int
    reps_total: int


class PainKind(enum.StrEnum):
    BEFORE = "before a session"
    AFTER = "after a session"
    LOGGED = "logged on its own"


@record(frozen=True)
class PainPoint:
    local_at: datetime  # on the wall clock where it was rated
    kind: PainKind
    pain: int


@record(frozen=True)
class DifficultyCount:
    routine_name: str
    counts: tuple[tuple[Difficulty, int], ...]  # in the order of Difficulty
    unrated: int

    def text(self) -> str:
        """``"Too easy 2 · About right 9 · Too hard 1"``."""
        return " · ".join(f"{DIFFICULTY[d]} {n}" for d, n in self.counts)


@record(frozen=True)
class ReportNote:
    local_at: datetime
    title: str  # the routine's name, or "Pain logged"
    pain_text: str
    note: str


@record(frozen=True)
class RoutineDone:
    routine: str
    name: str
    sessions: int
    completed: int
    times_per_day: int | None
    session_seconds: float  # the planned length of the last session's plan
    doses: tuple[ExerciseDose, ...]  # as last done

    @property
    def length_text(self) -> str:
        return minutes_text(self.session_seconds)


@record(frozen=True)
class ClinicianReport:
    first: date
    last: date
    made_on: date
    summary: str  # the one line to read first
    details: tuple[str, ...]  # a few lines that say how to read it
    goal: Goal | None
    weeks: tuple[ReportWeek, ...]
    exercises: tuple[ExerciseAdherence, ...]
    pain: tuple[PainPoint, ...]
    difficulty: tuple[DifficultyCount, ...]
    notes: tuple[ReportNote, ...]
    routines: tuple[RoutineDone, ...]

    @property
    def sessions(self) -> int:
        return sum(w.sessions for w in self.weeks)

    @property
    def planned(self) -> int | None:
        return None if self.goal is None else sum(w.planned or 0 for w in self.weeks)

    @property
    def planned_done(self) -> int:
        return sum(w.planned_done for w in self.weeks)

    @property
    def span_text(self) -> str:
        return date_span_text(self.first, self.last)

    @property
    def empty(self) -> bool:
        return self.sessions == 0 and not self.pain and not self.notes


# --- building it -------------------------------------------------------------------------


def clinician_report(
    store: HistoryQueries,
    first: date,
    last: date,
    today: date,
    *,
    reminders: Sequence[ReminderSlot] = (),
) -> ClinicianReport:
    """The report on the days ``first`` to ``last`` (both included), made on ``today``.

    ``reminders``: the person's reminder slots when reminders are on; they say
    what was planned.  Without them the routines' times per day do.
    """
    if last < first:
        raise ValueError(f"the report's last day {last} is before its first day {first}")
    summaries = store.session_summaries(since=first, until=last)
    tallies = store.session_tallies(since=first, until=last)
    routines = _routines_done(store, summaries)
    goal = goal_from_reminders(reminders) or goal_from_times_per_day(
        {r.routine: r.times_per_day for r in routines}
    )
    # A goal cannot be missed before the person began, nor on days still to come.
    began = store.first_day()
    plan_from = max(first, began) if began is not None else None
    weeks = _weeks(summaries, store.day_activity(first, last), goal, first, last, today, plan_from)
    pain = _pain(store, first, last)
    report = ClinicianReport(
        first=first,
        last=last,
        made_on=today,
        summary="",
        details=(),
        goal=goal,
        weeks=weeks,
        exercises=_adherence(summaries, tallies),
        pain=pain,
        difficulty=_difficulty(summaries),
        notes=_notes(store, first, last),
        routines=routines,
    )
    summary, details = _summary(report, summaries)
    return replace(report, summary=summary, details=details)


def _weeks(
    summaries: Sequence[SessionSummary],
    activity: Mapping[date, DayActivity],
    goal: Goal | None,
    first: date,
    last: date,
    today: date,
    plan_from: date | None,
) -> tuple[ReportWeek, ...]:
    weeks = []
    start = first
    while start <= last:
        end = min(start + timedelta(days=6), last)
        mine = [s for s in summaries if start <= s.local_day <= end]
        planned = done = 0
        for day in days_between(start, end):
            if goal is None or plan_from is None or day < plan_from or day > today:
                continue
            act = activity.get(day)
            toward = {r.routine: r.toward_goal for r in act.routines} if act else {}
            for routine_goal in goal.routines:
                wanted = routine_goal.on(day)
                got = min(wanted, toward.get(routine_goal.routine, 0))
                done += got
                planned += got if day == today else wanted
        weeks.append(
            ReportWeek(
                first=start,
                last=end,
                sessions=len(mine),
                completed=sum(1 for s in mine if s.status is SessionStatus.COMPLETED),
                planned=planned if goal is not None else None,
                planned_done=done,
                active_seconds=sum(s.active_seconds for s in mine),
                active_days=sum(
                    1
                    for d in days_between(start, end)
                    if (a := activity.get(d)) is not None and a.counts_for_streak
                ),
            )
        )
        start = end + timedelta(days=1)
    return tuple(weeks)


def _adherence(
    summaries: Sequence[SessionSummary], tallies: Mapping[str, SessionTally]
) -> tuple[ExerciseAdherence, ...]:
    counts: dict[str, dict[ExerciseResult, int]] = {}
    reps: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for s in summaries:
        tally = tallies.get(s.id)
        if tally is None:
            continue
        for e in tally.exercises:
            names[e.exercise] = e.name  # the newest session's name wins
            by_result = counts.setdefault(e.exercise, dict.fromkeys(ExerciseResult, 0))
            by_result[e.result] += 1
            pair = reps.setdefault(e.exercise, [0, 0])
            pair[0] += e.reps_done
            pair[1] += e.reps_total
    rows = [
        ExerciseAdherence(
            exercise=ex,
            name=names[ex],
            planned=sum(c.values()),
            done=c[ExerciseResult.DONE],
            partly=c[ExerciseResult.PARTLY],
            skipped=c[ExerciseResult.SKIPPED],
            skipped_pain=c[ExerciseResult.PAIN],
            not_reached=c[ExerciseResult.NOT_REACHED],
            reps_done=reps[ex][0],
            reps_total=reps[ex][1],
        )
        for ex, c in counts.items()
    ]
    return tuple(rows)


def _pain(store: HistoryQueries, first: date, last: date) -> tuple[PainPoint, ...]:
    points = []
    for entry in store.journal(since=first):
        if entry.local_at.date() > last:
            continue
        if entry.pain_entry_id is not None:
            if entry.pain_after is not None:
                points.append(PainPoint(entry.local_at, PainKind.LOGGED, entry.pain_after))
            continue
        if entry.pain_before is not None:
            points.append(PainPoint(entry.local_at, PainKind.BEFORE, entry.pain_before))
        if entry.pain_after is not None:
            points.append(PainPoint(entry.local_at, PainKind.AFTER, entry.pain_after))
    return tuple(sorted(points, key=lambda p: (p.local_at, list(PainKind).index(p.kind))))


def _difficulty(summaries: Sequence[SessionSummary]) -> tuple[DifficultyCount, ...]:
    by_routine: dict[str, list[SessionSummary]] = {}
    for s in summaries:
        by_routine.setdefault(s.routine, []).append(s)
    result = []
    for sessions in by_routine.values():
        rated = [s.difficulty for s in sessions if s.difficulty is not None]
        if not rated:
            continue
        result.append(
            DifficultyCount(
                routine_name=sessions[-1].routine_name,
                counts=tuple((d, rated.count(d)) for d in Difficulty),
                unrated=len(sessions) - len(rated),
            )
        )
    return tuple(result)


def _notes(store: HistoryQueries, first: date, last: date) -> tuple[ReportNote, ...]:
    notes = [
        ReportNote(e.local_at, e.title, e.pain_text, e.note)
        for e in store.journal(since=first)
        if e.note and e.local_at.date() <= last
    ]
    return tuple(sorted(notes, key=lambda n: n.local_at))


def _routines_done(
    store: HistoryQueries, summaries: Sequence[SessionSummary]
) -> tuple[RoutineDone, ...]:
    by_routine: dict[str, list[SessionSummary]] = {}
    for s in summaries:
        by_routine.setdefault(s.routine, []).append(s)
    result = []
    for routine, sessions in sorted(by_routine.items(), key=lambda kv: -len(kv[1])):
        newest = store.stored_session(sessions[-1].id)
        plan = newest.plan if newest is not None else {}
        per_day = plan.get("times_per_day")
        seconds = plan.get("total_seconds")
        result.append(
            RoutineDone(
                routine=routine,
                name=sessions[-1].routine_name,
                sessions=len(sessions),
                completed=sum(1 for s in sessions if s.status is SessionStatus.COMPLETED),
                times_per_day=per_day if isinstance(per_day, int) and per_day > 0 else None,
                session_seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
                doses=plan_doses(plan),
            )
        )
    return tuple(result)


# --- the words on top ----------------------------------------------------------------------


def period_text(first: date, last: date) -> str:
    """``"4 weeks"``, ``"10 days"``, ``"1 day"``."""
    days = (last - first).days + 1
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' * (weeks != 1)}"
    return f"{days} day{'s' * (days != 1)}"


def pain_number(value: float) -> str:
    """A mean rating to one decimal, without a trailing ``.0``: ``"5"``, ``"3.5"``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _pain_change(report: ClinicianReport) -> tuple[float, float] | None:
    """Mean pain before sessions in the first and in the last week that has ratings."""
    means = []
    for week in report.weeks:
        values = [
            p.pain
            for p in report.pain
            if p.kind is PainKind.BEFORE and week.first <= p.local_at.date() <= week.last
        ]
        mean = _mean(values)
        if mean is not None:
            means.append(mean)
    if not means:
        return None
    return means[0], means[-1]


def _summary(
    report: ClinicianReport, summaries: Sequence[SessionSummary]
) -> tuple[str, tuple[str, ...]]:
    period = period_text(report.first, report.last)
    if report.sessions == 0:
        head = f"No sessions in these {period}"
    elif report.planned:
        head = f"{report.planned_done} of {report.planned} planned sessions in {period}"
    else:
        head = f"{report.sessions} session{'s' * (report.sessions != 1)} in {period}"
    change = _pain_change(report)
    if change is not None:
        head += f"; pain {pain_number(change[0])} → {pain_number(change[1])}"
    details = []
    if report.goal is not None and report.planned:
        names = {r.routine: r.name for r in report.routines}
        each = ", ".join(
            f"{names.get(g.routine) or pretty_id(g.routine)} {g.often_text}"
            for g in report.goal.routines
        )
        details.append(
            f"Planned: {report.goal.per_week} sessions a week ({each}), "
            f"from {report.goal.source.value}."
        )
    if report.sessions and (report.sessions != report.planned_done or len(report.routines) > 1):
        each = ", ".join(f"{r.name} {r.sessions}" for r in report.routines)
        details.append(f"{report.sessions} sessions in all ({each}).")
    if change is not None:
        details.append(
            "Pain: the mean rating before a session in the first and the last week "
            f"with ratings ({PAIN_SCALE})."
        )
    both = [
        s.pain_before - s.pain_after
        for s in summaries
        if s.pain_before is not None and s.pain_after is not None
    ]
    eased = _mean(both)
    if eased is not None and len(both) >= 2:
        if eased > 0:
            word = f"{pain_number(eased)} lower"
        elif eased < 0:
            word = f"{pain_number(-eased)} higher"
        else:
            word = "the same"
        details.append(
            f"After a session pain was {word} than before, on average ({len(both)} sessions)."
        )
    pain_skips = sum(e.skipped_pain for e in report.exercises)
    if pain_skips:
        details.append(
            f"Stopped an exercise because it hurt {pain_skips} time{'s' * (pain_skips != 1)}."
        )
    return head + ".", tuple(details)
