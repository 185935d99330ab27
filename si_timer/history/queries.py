"""Reading history: sessions, days, streaks and statistics, straight from SQLite.

:class:`HistoryQueries` is the read half of the store; every method is one or
two indexed queries whose cost grows with what is shown (a month, a year of
days), not with the size of the whole history.  Streaks and exercise totals
read the small derived rows (see :mod:`si_timer.history.derived`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from si_timer.history import days as day_rules
from si_timer.history import derived, stats
from si_timer.history.model import (
    DayMark,
    Difficulty,
    ExerciseStat,
    InterruptedSession,
    Outcome,
    RoutineUsage,
    SegmentKind,
    SegmentRecord,
    SessionStatus,
    SessionSummary,
    Side,
    StoredSegment,
    StoredSession,
    fixed_zone,
)
from si_timer.history.pain_journal import JournalEntry, PainEntry
from si_timer.history.tally import SessionTally, work_steps

PAIN_LOGGED = "Pain logged"

_SUMMARY_COLUMNS = (
    "id, routine, routine_name, started_at, utc_offset_minutes, ended_at, status, "
    "pain_before, pain_after, difficulty, note, segments_done, segments_total, "
    "active_seconds, local_day, exercises_done, exercises_total, reps_done, reps_total"
)

_SESSION_COLUMNS = (
    "s.id, s.routine, p.plan, s.started_at, s.utc_offset_minutes, s.ended_at, s.status, "
    "s.pain_before, s.pain_after, s.difficulty, s.note, s.key"
)
_SESSION_FROM = "sessions s JOIN plans p ON p.id = s.plan_id"
_SEGMENT_COLUMNS = (
    "session_key, seq, idx, kind, exercise, side, set_no, rep, planned_seconds, "
    "actual_seconds, outcome, ended_at"
)


# A finished session that did nothing is not a session (not listed, not counted);
# one still in progress is, while it runs.
_A_SESSION = "(reps_done > 0 OR status = 'in_progress')"


def to_db_time(moment: datetime) -> str:
    """UTC, fixed width, so text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _plan_exercises(text: str) -> frozenset[str]:
    """The exercises a stored plan has work for."""
    try:
        plan = json.loads(text)
    except ValueError:
        return frozenset()
    if not isinstance(plan, dict):
        return frozenset()
    return frozenset(step.exercise for step in work_steps(plan))


def _summary(row: tuple[Any, ...]) -> SessionSummary:
    return SessionSummary(
        id=row[0],
        routine=row[1],
        routine_name=row[2],
        started_at=from_db_time(row[3]),
        utc_offset_minutes=row[4],
        ended_at=from_db_time(row[5]) if row[5] is not None else None,
        status=SessionStatus(row[6]),
        pain_before=row[7],
        pain_after=row[8],
        difficulty=Difficulty(row[9]) if row[9] is not None else None,
        note=row[10],
        segments_done=row[11],
        segments_total=row[12],
        active_seconds=row[13],
        local_day=date.fromisoformat(row[14]),
        exercises_done=row[15],
        exercises_total=row[16],
        reps_done=row[17],
        reps_total=row[18],
    )


def _segment(row: tuple[Any, ...]) -> StoredSegment:
    return StoredSegment(
        seq=row[1],
        record=SegmentRecord(
            index=row[2],
            kind=SegmentKind(row[3]),
            exercise=row[4],
            side=Side(row[5]) if row[5] is not None else None,
            set=row[6],
            rep=row[7],
            planned_seconds=row[8],
            actual_seconds=row[9],
            outcome=Outcome(row[10]),
            ended_at=from_db_time(row[11]),
        ),
    )


def _stored(
    row: tuple[Any, ...],
    segments: tuple[StoredSegment, ...],
    plan: dict[str, Any] | None = None,
) -> StoredSession:
    return StoredSession(
        id=row[0],
        routine=row[1],
        plan=plan if plan is not None else json.loads(row[2]),
        started_at=from_db_time(row[3]),
        utc_offset_minutes=row[4],
        ended_at=from_db_time(row[5]) if row[5] is not None else None,
        status=SessionStatus(row[6]),
        pain_before=row[7],
        pain_after=row[8],
        difficulty=Difficulty(row[9]) if row[9] is not None else None,
        note=row[10],
        segments=segments,
    )


class HistoryQueries:
    """Read-only questions about the history in ``self._conn``."""

    _conn: sqlite3.Connection
    _plan_exercises: dict[int, frozenset[str]]  # plans row id -> its exercises (a cache)

    # --- sessions -------------------------------------------------------------

    def session_summaries(
        self, *, since: date | None = None, until: date | None = None
    ) -> list[SessionSummary]:
        """Sessions whose local day is within [since, until], oldest first.

        A finished session with nothing done is not a session: it is not listed.
        """
        rows = self._conn.execute(
            f"SELECT {_SUMMARY_COLUMNS} FROM sessions "
            f"WHERE local_day >= ? AND local_day <= ? AND {_A_SESSION} "
            "ORDER BY started_at, id",
            (
                (since or date.min).isoformat(),
                (until or date.max).isoformat(),
            ),
        ).fetchall()
        return [_summary(r) for r in rows]

    def session_tallies(
        self, *, since: date | None = None, until: date | None = None
    ) -> dict[str, SessionTally]:
        """Each listed session's exercises and reps (see :mod:`tally`) within
        [since, until], by session id: what was done, skipped or stopped for pain."""
        ids = dict(
            self._conn.execute(
                f"SELECT key, id FROM sessions WHERE local_day >= ? AND local_day <= ? "
                f"AND {_A_SESSION}",
                ((since or date.min).isoformat(), (until or date.max).isoformat()),
            ).fetchall()
        )
        if not ids:
            return {}
        scope = derived.scope_of(self._conn, list(ids))
        return {ids[key]: t for key, t in derived.session_tallies(self._conn, scope).items()}

    def first_day(self) -> date | None:
        """The first local day with some work done, or None for an empty history."""
        (day,) = self._conn.execute(
            "SELECT MIN(local_day) FROM sessions WHERE reps_done > 0"
        ).fetchone()
        return date.fromisoformat(day) if day else None

    def sessions_on(self, day: date) -> list[SessionSummary]:
        return self.session_summaries(since=day, until=day)

    def routine_usage(self) -> dict[str, RoutineUsage]:
        """Per routine: sessions with at least one rep done, and the last such day."""
        # The triggers' totals, and one index step per routine for its last day:
        # the same few rows at a week of history and at ten years.
        rows = self._conn.execute(
            "SELECT t.routine, t.sessions, (SELECT MAX(s.local_day) FROM sessions s "
            "WHERE s.routine = t.routine AND s.reps_done > 0) FROM routine_totals t"
        ).fetchall()
        return {rid: RoutineUsage(int(n), date.fromisoformat(last)) for rid, n, last in rows}

    def session_count(self) -> int:
        (count,) = self._conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
        return int(count)

    def skipped_pain_by_session(
        self, *, since: date | None = None, until: date | None = None
    ) -> dict[str, int]:
        """Work segments skipped because of pain, per session id (none: left out)."""
        rows = self._conn.execute(
            "SELECT s.id, SUM(e.skipped_pain) FROM sessions s "
            "JOIN session_exercises e ON e.session_key = s.key "
            "WHERE s.local_day >= ? AND s.local_day <= ? "
            "GROUP BY s.key HAVING SUM(e.skipped_pain) > 0",
            ((since or date.min).isoformat(), (until or date.max).isoformat()),
        ).fetchall()
        return {sid: int(n) for sid, n in rows}

    def stored_session(self, session_id: str) -> StoredSession | None:
        """One whole session with its segment rows, or None."""
        row = self._conn.execute(
            f"SELECT {_SESSION_COLUMNS} FROM {_SESSION_FROM} WHERE s.id = ?", (session_id,)
        ).fetchone()
        if row is None:
            return None
        segs = self._conn.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE session_key = ? ORDER BY seq",
            (row[11],),
        ).fetchall()
        return _stored(row, tuple(_segment(s) for s in segs))

    def iter_stored_sessions(self) -> Iterator[StoredSession]:
        """Every session with its segments, oldest first (for exports and merges)."""
        rows = self._conn.execute(
            f"SELECT {_SESSION_COLUMNS} FROM {_SESSION_FROM} ORDER BY s.started_at, s.id"
        ).fetchall()
        by_session: dict[int, list[StoredSegment]] = {}
        for seg in self._conn.execute(
            f"SELECT {_SEGMENT_COLUMNS} FROM segments ORDER BY session_key, seq"
        ):
            by_session.setdefault(seg[0], []).append(_segment(seg))
        plans: dict[str, dict[str, Any]] = {}
        for row in rows:
            plan = plans.get(row[2])
            if plan is None:
                plan = plans[row[2]] = json.loads(row[2])
            yield _stored(row, tuple(by_session.get(row[11], ())), plan)

    def _in_progress(self) -> list[InterruptedSession]:
        rows = self._conn.execute(
            "SELECT s.id, s.routine, s.routine_name, p.plan, s.started_at, "
            "s.utc_offset_minutes, s.last_index, s.last_activity_at, s.segments_done, "
            f"s.segments_total, s.exercises_done, s.exercises_total FROM {_SESSION_FROM} "
            "WHERE s.status = 'in_progress' ORDER BY s.started_at"
        ).fetchall()
        return [
            InterruptedSession(
                id=r[0],
                routine=r[1],
                routine_name=r[2],
                plan=json.loads(r[3]),
                started_at=from_db_time(r[4]),
                utc_offset_minutes=r[5],
                last_index=r[6],
                last_activity_at=from_db_time(r[7] if r[7] is not None else r[4]),
                segments_done=r[8],
                segments_total=r[9],
                exercises_done=r[10],
                exercises_total=r[11],
            )
            for r in rows
        ]

    # --- the pain journal -------------------------------------------------------

    def pain_entries(self) -> list[PainEntry]:
        """Pain logged without a session, oldest first (what a backup carries)."""
        rows = self._conn.execute(
            "SELECT id, at, utc_offset_minutes, pain, note, edited_at FROM pain_entries "
            "ORDER BY at, id"
        ).fetchall()
        return [
            PainEntry(r[0], from_db_time(r[1]), r[2], r[3], r[4], from_db_time(r[5])) for r in rows
        ]

    def journal(self, since: date | None = None) -> list[JournalEntry]:
        """Sessions with a pain rating or a note, and pain entries, newest first.

        A session stopped before any work still shows its pain and note here: the
        journal is about pain, and the chart counts those ratings too.
        """
        first = (since or date.min).isoformat()
        entries = [
            JournalEntry(
                from_db_time(at).astimezone(fixed_zone(offset)),
                name,
                before,
                after,
                note,
                session_id=sid,
            )
            for sid, name, at, offset, before, after, note in self._conn.execute(
                "SELECT id, routine_name, started_at, utc_offset_minutes, pain_before, "
                "pain_after, note FROM sessions WHERE local_day >= ? AND "
                "(pain_before IS NOT NULL OR pain_after IS NOT NULL OR note IS NOT NULL)",
                (first,),
            )
        ]
        for entry_id, at, offset, pain, note in self._conn.execute(
            "SELECT id, at, utc_offset_minutes, pain, note FROM pain_entries WHERE local_day >= ?",
            (first,),
        ):
            local = from_db_time(at).astimezone(fixed_zone(offset))
            entries.append(
                JournalEntry(local, PAIN_LOGGED, None, pain, note, pain_entry_id=entry_id)
            )
        return sorted(entries, key=lambda e: e.local_at, reverse=True)

    # --- days -----------------------------------------------------------------

    def day_marks(self, first: date | None = None, last: date | None = None) -> dict[date, DayMark]:
        rows = self._conn.execute(
            "SELECT day, mark FROM day_marks WHERE day >= ? AND day <= ?",
            ((first or date.min).isoformat(), (last or date.max).isoformat()),
        ).fetchall()
        return {date.fromisoformat(d): DayMark(m) for d, m in rows}

    def day_activity(self, first: date, last: date) -> dict[date, day_rules.DayActivity]:
        """What happened on each day from ``first`` to ``last`` (days with nothing are absent)."""
        rows = self._conn.execute(
            f"""
            SELECT local_day, routine, MAX(goal_per_day),
                SUM(status = 'completed'),
                SUM(status <> 'completed' AND reps_done > 0),
                SUM(status <> 'completed' AND reps_done = 0),
                SUM(active_seconds)
            FROM sessions WHERE local_day >= ? AND local_day <= ? AND {_A_SESSION}
            GROUP BY local_day, routine
            """,
            (first.isoformat(), last.isoformat()),
        ).fetchall()
        parsed = (
            (date.fromisoformat(r[0]), r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5]), r[6])
            for r in rows
        )
        return day_rules.collect_activity(
            parsed, self.day_marks(first, last), self.goal_credit(first, last)
        )

    def goal_credit(self, first: date, last: date) -> dict[tuple[date, str], int]:
        """Per (day, routine done that day): sessions of *other* routines that did all of
        its exercises, which count toward its daily goal too."""
        span = (first.isoformat(), last.isoformat())
        sessions = self._conn.execute(
            "SELECT s.key, s.local_day, s.routine, s.plan_id, s.status FROM sessions s "
            "WHERE s.local_day >= ? AND s.local_day <= ? AND s.reps_done > 0",
            span,
        ).fetchall()
        if len({routine for _, _, routine, _, _ in sessions}) < 2:
            return {}
        done: dict[int, set[str]] = {}
        for key, exercise in self._conn.execute(
            "SELECT e.session_key, e.exercise FROM sessions s "
            "JOIN session_exercises e ON e.session_key = s.key "
            "WHERE s.local_day >= ? AND s.local_day <= ? AND e.done = 1",
            span,
        ):
            done.setdefault(key, set()).add(exercise)
        # A stored plan never changes (it is keyed by its digest): read each once.
        plans = self._plan_exercises
        for plan_id in {p for _, _, _, p, _ in sessions} - plans.keys():
            (text,) = self._conn.execute(
                "SELECT plan FROM plans WHERE id = ?", (plan_id,)
            ).fetchone()
            plans[plan_id] = _plan_exercises(text)
        needs: dict[tuple[str, str], frozenset[str]] = {}  # (day, routine) -> its exercises
        for _, day, routine, plan_id, _ in sorted(sessions, key=lambda r: r[0]):
            needs[(day, routine)] = plans[plan_id] or needs.get((day, routine), frozenset())
        credit: dict[tuple[date, str], int] = {}
        for (day, routine), exercises in needs.items():
            if not exercises:
                continue
            n = sum(
                1
                for key, other_day, other, _, _ in sessions
                if other_day == day and other != routine and exercises <= done.get(key, set())
            )
            if n:
                credit[(date.fromisoformat(day), routine)] = n
        return credit

    def month(self, year: int, month: int, today: date) -> day_rules.MonthSummary:
        grid = day_rules.month_grid(year, month)
        activity = self.day_activity(grid[0][0], grid[-1][-1])
        return day_rules.month_summary(year, month, activity, today)

    def streaks(self, today: date) -> day_rules.Streaks:
        # Same rule as DayActivity.counts_for_streak, asked of the covering index.
        counted = self._conn.execute(
            "SELECT DISTINCT local_day FROM sessions WHERE reps_done > 0"
        ).fetchall()
        marked = self._conn.execute("SELECT day FROM day_marks").fetchall()
        return day_rules.compute_streaks(
            (date.fromisoformat(d) for (d,) in counted),
            (date.fromisoformat(d) for (d,) in marked),
            today,
        )

    # --- statistics -----------------------------------------------------------

    def heatmap(self, today: date, weeks: int = 53) -> stats.Heatmap:
        first = day_rules.week_start(today) - timedelta(weeks=weeks - 1)
        return stats.year_heatmap(self.day_activity(first, today), today, weeks)

    def weekly_totals(self, today: date, weeks: int = 12) -> list[stats.WeekTotal]:
        first = day_rules.week_start(today) - timedelta(weeks=weeks - 1)
        return stats.weekly_totals(
            self.day_activity(first, today + timedelta(days=6)), today, weeks
        )

    def pain_trend(self, since: date | None = None) -> list[stats.PainWeek]:
        """Mean pain before/after per week since ``since`` (all history when None)."""
        first = day_rules.week_start(since) if since else date.min
        rows = self._conn.execute(
            "SELECT local_day, pain_before, pain_after FROM sessions "
            "WHERE local_day >= ? AND (pain_before IS NOT NULL OR pain_after IS NOT NULL)",
            (first.isoformat(),),
        ).fetchall()
        return stats.pain_by_week((date.fromisoformat(d), b, a) for d, b, a in rows)

    def exercise_counts(self) -> dict[str, int]:
        """How many sessions included each exercise with some of it done, by exercise id."""
        rows = self._conn.execute(
            "SELECT exercise, SUM(reps_done > 0) FROM session_exercises GROUP BY exercise"
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows if r[1]}

    def exercise_stats(self) -> list[ExerciseStat]:
        """Per exercise ever recorded, by name."""
        rows = self._conn.execute(
            """
            SELECT e.exercise, COALESCE(n.name, e.exercise),
                SUM(e.reps_done > 0), SUM(e.reps_done), SUM(e.skipped_pain),
                MAX(e.best_hold_seconds),
                MAX(CASE WHEN e.reps_done > 0 THEN e.local_day END)
            FROM session_exercises e LEFT JOIN exercise_names n ON n.exercise = e.exercise
            GROUP BY e.exercise
            """
        ).fetchall()
        result = [
            ExerciseStat(
                exercise=r[0],
                name=r[1],
                sessions=int(r[2]),
                reps_done=int(r[3]),
                skipped_pain=int(r[4]),
                best_hold_seconds=r[5],
                last_done=date.fromisoformat(r[6]) if r[6] else None,
            )
            for r in rows
        ]
        return sorted(result, key=lambda s: (s.name.casefold(), s.exercise))
