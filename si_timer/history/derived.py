"""Derived data: everything in the database that is computed from the facts.

Sessions carry their local day, routine name, daily goal and counters, and
``session_exercises`` totals each exercise per session, so that ten years of
history are summed from ~11,000 short index rows instead of 250,000 segments.
The store refreshes one session's derived data in the same transaction as
each write; a migration or an import rebuilds many.  The same code does both,
so the incremental and the full result cannot drift apart.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
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


def refresh_counters(
    conn: sqlite3.Connection, keys: Sequence[int] | None, *, tallies: bool = True
) -> None:
    """Per-session counters and per-session exercise totals from the segment rows
    (``tallies=False``: without the exercise and rep counts of schema version 3)."""
    scope = _Scope(conn, keys)
    conn.execute(f"{_COUNTERS} WHERE {scope.on('key')}", scope.params)
    conn.execute(f"DELETE FROM session_exercises WHERE {scope.on('session_key')}", scope.params)
    conn.execute(
        f"{_EXERCISES} AND {scope.on('s.key')} GROUP BY g.session_key, g.exercise", scope.params
    )
    if not tallies:
        return
    counted = session_tallies(conn, scope)
    conn.executemany(
        "UPDATE sessions SET exercises_total = ?, exercises_done = ?, reps_total = ?, "
        "reps_done = ? WHERE key = ?",
        (
            (t.exercises_total, t.exercises_done, t.reps_total, t.reps_done, key)
            for key, t in counted.items()
        ),
    )
    # Reps as a person counts them (a cat-cow rep is one, not its four phases).
    conn.executemany(
        "UPDATE session_exercises SET reps_done = ?, done = ? "
        "WHERE session_key = ? AND exercise = ?",
        (
            (e.reps_done, int(e.done), key, e.exercise)
            for key, t in counted.items()
            for e in t.exercises
        ),
    )


def session_tallies(
    conn: sqlite3.Connection, scope: _Scope | None = None
) -> dict[int, SessionTally]:
    """Exercises and reps of each session in ``scope`` (all when None), from its plan and
    the best outcome recorded for each plan index (a segment done again after "back"
    counts once)."""
    scope = scope or _Scope(conn, None)
    outcomes: dict[int, dict[int, str]] = {}
    rank = {"done": 2, "skipped_pain": 1, "skipped": 0}
    for key, idx, outcome in conn.execute(
        f"SELECT session_key, idx, outcome FROM segments WHERE {scope.on('session_key')}",
        scope.params,
    ):
        mine = outcomes.setdefault(key, {})
        if rank.get(outcome, 0) >= rank.get(mine.get(idx, ""), -1):
            mine[idx] = outcome
    plans: dict[int, list[WorkStep]] = {}  # a plan's work, read once for all its sessions
    result: dict[int, SessionTally] = {}
    for key, plan_id, plan_text in conn.execute(
        f"SELECT s.key, p.id, p.plan FROM sessions s JOIN plans p ON p.id = s.plan_id "
        f"WHERE {scope.on('s.key')}",
        scope.params,
    ):
        steps = plans.get(plan_id)
        if steps is None:
            steps = plans[plan_id] = work_steps(load_plan(plan_text))
        result[key] = tally(steps, outcomes.get(key, {}))
    return result


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
