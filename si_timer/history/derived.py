"""Derived data: everything in the database that is computed from the facts.

Sessions carry their local day, routine name, daily goal and counters, and
``session_exercises`` totals each exercise per session, so that ten years of
history are summed from ~11,000 short index rows instead of 250,000 segments.
The store refreshes one session's derived data in the same transaction as
each write; a migration or an import rebuilds many.  The same code does both,
so the incremental and the full result cannot drift apart.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import islice
from operator import gt, itemgetter
from typing import Any

from si_timer.history.days import local_day
from si_timer.history.plan import PlanFacts, plan_facts
from si_timer.history.tally import SessionTally, WorkStep, ran_long_enough, tally, work_steps

_WORK = "('hold', 'phase', 'manual')"

_COUNTERS = f"""
UPDATE sessions SET
    segments_done = (
        SELECT COUNT(DISTINCT g.idx) FROM segments g
        WHERE g.session_key = sessions.key AND g.outcome = 'done' AND g.kind IN {_WORK}),
    active_seconds = (
        SELECT COALESCE(SUM(g.actual_seconds), 0) FROM segments g
        WHERE g.session_key = sessions.key),
    last_index = (
        SELECT g.idx FROM segments g WHERE g.session_key = sessions.key
        ORDER BY g.seq DESC LIMIT 1),
    last_activity_at = (
        SELECT g.ended_at FROM segments g WHERE g.session_key = sessions.key
        ORDER BY g.seq DESC LIMIT 1)
"""

_EXERCISES = f"""
INSERT INTO session_exercises
    (exercise, session_key, local_day, reps_done, skipped_pain, best_hold_seconds)
SELECT g.exercise, g.session_key, s.local_day,
    COUNT(DISTINCT CASE WHEN g.outcome = 'done' AND g.kind IN {_WORK} THEN g.idx END),
    COUNT(DISTINCT CASE WHEN g.outcome = 'skipped_pain' AND g.kind IN {_WORK} THEN g.idx END),
    MAX(CASE WHEN g.outcome = 'done' AND g.kind = 'hold' THEN g.actual_seconds END)
FROM segments g JOIN sessions s ON s.key = g.session_key
WHERE g.exercise IS NOT NULL
"""

_NAME_UPSERT = """
INSERT INTO exercise_names (exercise, name, seen_at) VALUES (?, ?, ?)
ON CONFLICT (exercise) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at
WHERE excluded.seen_at >= exercise_names.seen_at
"""


class _Scope:
    """A WHERE condition selecting some sessions by key (all when ``keys`` is None)."""

    def __init__(self, conn: sqlite3.Connection, keys: Sequence[int] | None) -> None:
        self.params: tuple[int, ...] = ()
        if keys is None:
            self._template = "1"
        elif len(keys) == 1:
            self._template, self.params = "{col} = ?", (keys[0],)
        else:
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS derived_scope (key INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM temp.derived_scope")
            conn.executemany(
                "INSERT OR IGNORE INTO temp.derived_scope VALUES (?)", ((k,) for k in keys)
            )
            self._template = "{col} IN (SELECT key FROM temp.derived_scope)"

    def on(self, column: str) -> str:
        return self._template.format(col=column)


def scope_of(conn: sqlite3.Connection, keys: Sequence[int] | None) -> _Scope:
    """The sessions with ``keys`` (all when None), for :func:`session_tallies`."""
    return _Scope(conn, keys)


def refresh_plan_columns(conn: sqlite3.Connection, keys: Sequence[int] | None) -> None:
    """Local day, routine name, goal and work-segment total from each session's plan."""
    scope = _Scope(conn, keys)
    rows = conn.execute(
        "SELECT s.key, s.routine, p.plan, s.started_at, s.utc_offset_minutes "
        f"FROM sessions s JOIN plans p ON p.id = s.plan_id WHERE {scope.on('s.key')} "
        "ORDER BY s.started_at",
        scope.params,
    ).fetchall()
    updates: list[tuple[str, str, int, int, int]] = []
    names: dict[str, tuple[str, str]] = {}  # the newest session's name wins
    parsed: dict[str, PlanFacts] = {}  # plans repeat: parse each text once
    for key, routine, plan_text, started_at, offset in rows:
        facts = parsed.get(routine + "\0" + plan_text)
        if facts is None:
            facts = plan_facts(routine, load_plan(plan_text))
            parsed[routine + "\0" + plan_text] = facts
        day = local_day(datetime.fromisoformat(started_at), offset)
        updates.append(
            (day.isoformat(), facts.routine_name, facts.goal_per_day, facts.segments_total, key)
        )
        for exercise, name in facts.exercise_names.items():
            names[exercise] = (name, started_at)
    conn.executemany(
        "UPDATE sessions SET local_day = ?, routine_name = ?, goal_per_day = ?, "
        "segments_total = ? WHERE key = ?",
        updates,
    )
    conn.executemany(_NAME_UPSERT, ((ex, n, at) for ex, (n, at) in names.items()))


# Each session's counters and the best outcome of each plan index it recorded
# ("done" beats "skipped_pain" beats "skipped": a segment done again after "back"
# counts once), read in one pass over the sessions in scope; the outcomes come as
# one text ("4:2,5:0", index:rank), so sessions that went alike share one key.
_RANK = "MAX(CASE g.outcome WHEN 'done' THEN 2 WHEN 'skipped_pain' THEN 1 ELSE 0 END)"
_PER_SESSION = f"""
SELECT s.key, s.plan_id,
    (SELECT COUNT(DISTINCT g.idx) FROM segments g
        WHERE g.session_key = s.key AND g.outcome = 'done' AND g.kind IN {_WORK}),
    (SELECT COALESCE(SUM(g.actual_seconds), 0) FROM segments g WHERE g.session_key = s.key),
    (SELECT g.idx FROM segments g WHERE g.session_key = s.key ORDER BY g.seq DESC LIMIT 1),
    (SELECT g.ended_at FROM segments g WHERE g.session_key = s.key ORDER BY g.seq DESC LIMIT 1),
    (SELECT group_concat(b.idx || ':' || b.rank, ',') FROM (
        SELECT g.idx AS idx, {_RANK} AS rank FROM segments g
        WHERE g.session_key = s.key GROUP BY g.idx) b)
FROM sessions s
"""
_OUTCOME_OF_RANK = {"2": "done", "1": "skipped_pain", "0": "skipped"}


class _Tallies:
    """Tallies by plan and outcomes: ten years of sessions went a few hundred ways,
    so :func:`tally` runs once for each way, not once for each session."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._steps: dict[int, list[WorkStep]] = {}  # a plan's work, read once
        self._known: dict[tuple[int, str | None], SessionTally] = {}

    def of(self, plan_id: int, outcomes: str | None) -> SessionTally:
        known = self._known.get((plan_id, outcomes))
        if known is not None:
            return known
        steps = self._steps.get(plan_id)
        if steps is None:
            row = self._conn.execute("SELECT plan FROM plans WHERE id = ?", (plan_id,)).fetchone()
            steps = self._steps[plan_id] = work_steps(load_plan(row[0] if row else ""))
        marks: dict[int, str] = {}
        for item in outcomes.split(",") if outcomes else ():
            idx, _, rank = item.partition(":")
            marks[int(idx)] = _OUTCOME_OF_RANK[rank]
        result = self._known[(plan_id, outcomes)] = tally(steps, marks)
        return result


def refresh_counters(
    conn: sqlite3.Connection, keys: Sequence[int] | None, *, tallies: bool = True
) -> None:
    """Per-session counters and per-session exercise totals from the segment rows
    (``tallies=False``: without the exercise and rep counts of schema version 3)."""
    scope = _Scope(conn, keys)
    if not tallies:
        conn.execute(f"{_COUNTERS} WHERE {scope.on('key')}", scope.params)
    conn.execute(f"DELETE FROM session_exercises WHERE {scope.on('session_key')}", scope.params)
    conn.execute(
        f"{_EXERCISES} AND {scope.on('s.key')} GROUP BY g.session_key, g.exercise", scope.params
    )
    if not tallies:
        return
    known = _Tallies(conn)
    sessions: list[tuple[object, ...]] = []
    exercises: list[tuple[object, ...]] = []
    for key, plan_id, done, active, last, last_at, outcomes in conn.execute(
        f"{_PER_SESSION} WHERE {scope.on('s.key')}", scope.params
    ):
        t = known.of(plan_id, outcomes)
        counts = (t.exercises_total, t.exercises_done, t.reps_total, t.reps_done)
        sessions.append((done, active, last, last_at, *counts, key))
        exercises.extend((e.reps_done, int(e.done), key, e.exercise) for e in t.exercises)
    conn.executemany(
        "UPDATE sessions SET segments_done = ?, active_seconds = ?, last_index = ?, "
        "last_activity_at = ?, exercises_total = ?, exercises_done = ?, reps_total = ?, "
        "reps_done = ? WHERE key = ?",
        sessions,
    )
    # Reps as a person counts them (a cat-cow rep is one, not its four phases).
    conn.executemany(
        "UPDATE session_exercises SET reps_done = ?, done = ? "
        "WHERE session_key = ? AND exercise = ?",
        exercises,
    )


def session_tallies(
    conn: sqlite3.Connection, scope: _Scope | None = None
) -> dict[int, SessionTally]:
    """Exercises and reps of each session in ``scope`` (all when None), from its plan and
    the best outcome recorded for each plan index (a segment done again after "back"
    counts once)."""
    scope = scope or _Scope(conn, None)
    known = _Tallies(conn)
    return {
        key: known.of(plan_id, outcomes)
        for key, plan_id, *_, outcomes in conn.execute(
            f"{_PER_SESSION} WHERE {scope.on('s.key')}", scope.params
        )
    }


class _Shape:
    """What the derived data of a session that recorded rows of one shape (plan
    index, kind, exercise and outcome of each row, in order) is, whatever its
    times: computed once per shape (ten years went a few hundred ways)."""

    __slots__ = ("counts", "exercises")

    def __init__(self, steps: list[WorkStep], shape: tuple[tuple[Any, ...], ...]) -> None:
        best: dict[int, int] = {}
        done_work: set[int] = set()
        per_exercise: dict[str, tuple[set[int], set[int], list[int]]] = {}
        for position, (idx, kind, exercise, outcome) in enumerate(shape):
            rank = _RANKS.get(outcome, 0)
            if rank >= best.get(idx, -1):
                best[idx] = rank
            work = kind in _WORK_KINDS
            if work and outcome == "done":
                done_work.add(idx)
            if exercise is None:
                continue
            done, pain, holds = per_exercise.setdefault(exercise, (set(), set(), []))
            if work and outcome == "done":
                done.add(idx)
            elif work and outcome == "skipped_pain":
                pain.add(idx)
            if kind == "hold" and outcome == "done":
                holds.append(position)
        t = tally(steps, {i: _OUTCOME_OF_RANK[str(r)] for i, r in best.items()})
        # segments_done, exercises_total, exercises_done, reps_total, reps_done
        self.counts = (
            len(done_work),
            t.exercises_total,
            t.exercises_done,
            t.reps_total,
            t.reps_done,
        )
        counted = {e.exercise: e for e in t.exercises}
        # (exercise, reps done, skipped for pain, rows of done holds, done): as
        # _EXERCISES counts them, then reps and done as the tally counts them.
        self.exercises: list[tuple[str, int, int, tuple[int, ...], int]] = []
        for exercise, (done, pain, holds) in per_exercise.items():
            reps = len(done)
            full = 0
            if exercise in counted:
                reps, full = counted[exercise].reps_done, int(counted[exercise].done)
            self.exercises.append((exercise, reps, len(pain), tuple(holds), full))


_RANKS = {"done": 2, "skipped_pain": 1, "skipped": 0}
_WORK_KINDS = frozenset({"hold", "phase", "manual"})
_SHAPE = itemgetter(1, 2, 3, 9)  # of a row of Incoming.segments: idx, kind, exercise, outcome
_SEQ = itemgetter(0)
_ACTUAL = itemgetter(8)

SESSION_COLUMNS = (
    "local_day, routine_name, goal_per_day, segments_total, segments_done, active_seconds, "
    "last_index, last_activity_at, exercises_total, exercises_done, reps_total, reps_done"
)
"""The derived ``sessions`` columns, in the order :meth:`NewSessions.add` returns them."""


@functools.lru_cache(maxsize=64)
def _minutes(offset: int) -> timedelta:
    return timedelta(minutes=offset)


class NewSessions:
    """The derived data of sessions a bulk import adds, from their rows while they
    are still Python values: the same values :func:`rebuild` computes from the
    database (a test holds both to that), at a small part of the cost.

    :meth:`add` gives each session's derived columns, to be inserted with it;
    :meth:`write` then adds the sessions' ``session_exercises`` rows and exercise
    names (after the sessions themselves).  Segment rows are sequences of the
    ``segments`` columns after ``session_key``.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._plans: dict[tuple[str, int], tuple[PlanFacts, list[WorkStep]]] = {}
        self._shapes: dict[tuple[int, tuple[tuple[Any, ...], ...]], _Shape] = {}
        self._exercises: list[tuple[object, ...]] = []
        # The newest session of each plan names its exercises (as refresh_plan_columns).
        self._newest: dict[tuple[str, int], str] = {}

    def _plan(self, routine: str, plan_id: int) -> tuple[PlanFacts, list[WorkStep]]:
        known = self._plans.get((routine, plan_id))
        if known is None:
            row = self._conn.execute("SELECT plan FROM plans WHERE id = ?", (plan_id,)).fetchone()
            plan = load_plan(row[0] if row else "")
            known = self._plans[(routine, plan_id)] = (plan_facts(routine, plan), work_steps(plan))
        return known

    def add(
        self, key: int, plan_id: int, fields: Sequence[Any], rows: Sequence[Sequence[Any]]
    ) -> tuple[object, ...]:
        """The derived columns of session ``key``: ``fields`` are its ``sessions`` columns
        after ``plan_id`` (routine, started_at, utc_offset_minutes, ...), ``rows`` its
        segment rows."""
        routine, started_at, offset = fields[0], fields[1], fields[2]
        facts, _ = plan = self._plan(routine, plan_id)
        start = datetime.fromisoformat(started_at)
        if start.tzinfo is UTC:  # as stored: local_day's own sum, a step shorter
            day = (start + _minutes(offset)).date().isoformat()
        else:
            day = local_day(start, offset).isoformat()
        seqs = list(map(_SEQ, rows))
        if any(map(gt, seqs, islice(seqs, 1, None))):  # the database reads them in seq order
            rows = sorted(rows, key=_SEQ)
        shape_key = (plan_id, tuple(map(_SHAPE, rows)))
        shape = self._shapes.get(shape_key)
        if shape is None:
            shape = self._shapes[shape_key] = _Shape(plan[1], shape_key[1])
        for exercise, reps, pain, holds, full in shape.exercises:
            best = float(max([rows[i][8] for i in holds])) if holds else None
            self._exercises.append((exercise, key, day, reps, pain, best, full))
        newest = self._newest.get((routine, plan_id))
        if newest is None or started_at >= newest:
            self._newest[(routine, plan_id)] = started_at
        last = rows[-1] if rows else (None,) * 11
        done, *counts = shape.counts
        return (
            day,
            facts.routine_name,
            facts.goal_per_day,
            facts.segments_total,
            done,
            float(sum(map(_ACTUAL, rows))),
            last[1],
            last[10],
            *counts,
        )

    def write(self) -> None:
        """The ``session_exercises`` rows and exercise names of the sessions added."""
        self._conn.executemany(
            "INSERT INTO session_exercises (exercise, session_key, local_day, reps_done, "
            "skipped_pain, best_hold_seconds, done) VALUES (?, ?, ?, ?, ?, ?, ?)",
            self._exercises,
        )
        names: dict[str, tuple[str, str]] = {}
        for plan, started_at in sorted(self._newest.items(), key=itemgetter(1)):
            for exercise, name in self._plans[plan][0].exercise_names.items():
                names[exercise] = (name, started_at)
        self._conn.executemany(_NAME_UPSERT, ((e, n, at) for e, (n, at) in names.items()))
        self._exercises.clear()
        self._newest.clear()


def uncredit_short_work(conn: sqlite3.Connection) -> int:
    """Mark as skipped every work segment recorded "done" that did not run long
    enough (history from before the rule); returns how many were changed."""
    changed: list[tuple[int, int]] = []
    plans: dict[int, dict[int, int | None]] = {}  # plan id -> index -> reps of work steps
    rows = conn.execute(
        "SELECT g.session_key, g.seq, g.idx, g.planned_seconds, g.actual_seconds, s.plan_id, "
        "p.plan FROM segments g JOIN sessions s ON s.key = g.session_key "
        "JOIN plans p ON p.id = s.plan_id "
        "WHERE g.outcome = 'done' AND g.kind IN ('hold', 'phase', 'manual')"
    )
    for key, seq, idx, planned, actual, plan_id, plan_text in rows:
        steps = plans.get(plan_id)
        if steps is None:
            steps = plans[plan_id] = {s.index: s.reps for s in work_steps(load_plan(plan_text))}
        if idx not in steps:
            continue  # a move, not work (or a plan this version cannot read)
        if not ran_long_enough(planned, steps[idx], actual):
            changed.append((key, seq))
    conn.executemany(
        "UPDATE segments SET outcome = 'skipped' WHERE session_key = ? AND seq = ?", changed
    )
    return len(changed)


def restate_finished(conn: sqlite3.Connection) -> None:
    """Each finished session's status from what was done (see :mod:`tally`)."""
    tallies = session_tallies(conn)
    finished = {
        key for (key,) in conn.execute("SELECT key FROM sessions WHERE status <> 'in_progress'")
    }
    conn.executemany(
        "UPDATE sessions SET status = ? WHERE key = ?",
        ((t.status.value, key) for key, t in tallies.items() if key in finished),
    )


def rebuild(conn: sqlite3.Connection, keys: Sequence[int] | None = None) -> None:
    """Everything derived, for the sessions with ``keys`` or for all sessions."""
    refresh_plan_columns(conn, keys)
    refresh_counters(conn, keys)


def load_plan(text: str) -> dict[str, Any]:
    """A stored plan text as a dict; an unreadable one is empty (history must still open)."""
    try:
        plan = json.loads(text)
    except ValueError:
        return {}
    return plan if isinstance(plan, dict) else {}
