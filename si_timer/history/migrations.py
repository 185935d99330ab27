"""The history database's schema, as an ordered list of migrations.

``PRAGMA user_version`` holds the number of migrations applied.  Each
migration runs in one transaction together with the version bump, so a crash
leaves the file at the old version or the new one, never in between.  A
migration, once released, never changes: fix forward with a new one.

1. The facts: sessions (with the plan snapshot they ran), one row per finished
   segment, and the days the person marked.
2. Derived, rebuildable columns and tables for speed at ten years of history
   (local day, per-session counters, per-session exercise totals) and the
   indexes the calendar and statistics read through.
3. Honest records: a work segment "done" after less than most of its time is
   skipped, each finished session's status is what was done (completed only
   when every exercise was done or stopped because it hurt; "abandoned" when
   nothing was), counts in exercises and reps, and pain entries logged
   without a session.
4. Totals the home screen reads on every visit, kept by triggers so that every
   writer (a session, an import, a repair) keeps them true: sessions done per
   routine, and an index for the last day each routine was done.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from si_timer.history import derived
from si_timer.records import record


@record(frozen=True)
class Migration:
    version: int
    summary: str
    apply: Callable[[sqlite3.Connection], None]


def _run(statements: Sequence[str]) -> Callable[[sqlite3.Connection], None]:
    # Statement by statement: executescript() would COMMIT the open transaction.
    def apply(conn: sqlite3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return apply


_V1_FACTS = (
    # A routine's plan is the same for hundreds of sessions: stored once.
    """
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        digest TEXT NOT NULL UNIQUE,
        plan TEXT NOT NULL
    )
    """,
    # ``key`` is the compact row key segments point at; ``id`` is the UUID
    # that exports carry and imports match on.
    """
    CREATE TABLE sessions (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        routine TEXT NOT NULL,
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        started_at TEXT NOT NULL,
        utc_offset_minutes INTEGER NOT NULL
            CHECK (utc_offset_minutes BETWEEN -1440 AND 1440),
        ended_at TEXT,
        status TEXT NOT NULL
            CHECK (status IN ('in_progress', 'completed', 'partial', 'abandoned')),
        pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
        pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
        difficulty TEXT CHECK (difficulty IN ('too_easy', 'about_right', 'too_hard')),
        note TEXT
    )
    """,
    """
    CREATE TABLE segments (
        session_key INTEGER NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        idx INTEGER NOT NULL CHECK (idx >= 0),
        kind TEXT NOT NULL CHECK (kind IN
            ('lead_in', 'hold', 'phase', 'manual', 'rest', 'switch', 'transition')),
        exercise TEXT,
        side TEXT CHECK (side IN ('none', 'left', 'right', 'both')),
        set_no INTEGER,
        rep INTEGER,
        planned_seconds REAL,
        actual_seconds REAL NOT NULL CHECK (actual_seconds >= 0),
        outcome TEXT NOT NULL CHECK (outcome IN ('done', 'skipped', 'skipped_pain')),
        ended_at TEXT NOT NULL,
        PRIMARY KEY (session_key, seq)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE day_marks (
        day TEXT PRIMARY KEY NOT NULL,
        mark TEXT NOT NULL CHECK (mark IN ('rest', 'sick')),
        set_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
)

_V2_DERIVED = (
    "ALTER TABLE sessions ADD COLUMN local_day TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sessions ADD COLUMN routine_name TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sessions ADD COLUMN goal_per_day INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE sessions ADD COLUMN segments_total INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN segments_done INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN active_seconds REAL NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN last_index INTEGER",
    "ALTER TABLE sessions ADD COLUMN last_activity_at TEXT",
    """
    CREATE TABLE session_exercises (
        exercise TEXT NOT NULL,
        session_key INTEGER NOT NULL REFERENCES sessions(key) ON DELETE CASCADE,
        local_day TEXT NOT NULL,
        reps_done INTEGER NOT NULL,
        skipped_pain INTEGER NOT NULL,
        best_hold_seconds REAL,
        PRIMARY KEY (exercise, session_key)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX session_exercises_by_session ON session_exercises(session_key)",
    """
    CREATE TABLE exercise_names (
        exercise TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        seen_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    # Covering: the calendar and streaks read only these columns, by day.
    """
    CREATE INDEX sessions_by_day ON sessions(
        local_day, routine, status, goal_per_day, segments_done, active_seconds)
    """,
    "CREATE INDEX sessions_in_progress ON sessions(started_at) WHERE status = 'in_progress'",
)


def _v2(conn: sqlite3.Connection) -> None:
    _run(_V2_DERIVED)(conn)
    derived.refresh_plan_columns(conn, None)
    derived.refresh_counters(conn, None, tallies=False)  # version 3 adds those columns


_V3_HONEST = (
    "ALTER TABLE sessions ADD COLUMN exercises_total INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN exercises_done INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN reps_total INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sessions ADD COLUMN reps_done INTEGER NOT NULL DEFAULT 0",
    # 1 when the exercise was done in full in that session (counts toward goals).
    "ALTER TABLE session_exercises ADD COLUMN done INTEGER NOT NULL DEFAULT 0",
    """
    CREATE TABLE pain_entries (
        id TEXT PRIMARY KEY NOT NULL,
        at TEXT NOT NULL,
        utc_offset_minutes INTEGER NOT NULL
            CHECK (utc_offset_minutes BETWEEN -1440 AND 1440),
        local_day TEXT NOT NULL,
        pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
        note TEXT,
        edited_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    "CREATE INDEX pain_entries_by_time ON pain_entries(at)",
    # The calendar and streaks now ask what was done in reps.
    """
    CREATE INDEX sessions_by_day_done ON sessions(
        local_day, routine, status, goal_per_day, reps_done, active_seconds)
    """,
)


def _v3(conn: sqlite3.Connection) -> None:
    _run(_V3_HONEST)(conn)
    derived.uncredit_short_work(conn)
    derived.rebuild(conn)
    derived.restate_finished(conn)


_V4_TOTALS = (
    # Per routine: finished or running sessions with at least one rep done.
    """
    CREATE TABLE routine_totals (
        routine TEXT PRIMARY KEY NOT NULL,
        sessions INTEGER NOT NULL CHECK (sessions > 0)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX sessions_done_by_routine ON sessions(routine, local_day) WHERE reps_done > 0",
    """
    INSERT INTO routine_totals (routine, sessions)
    SELECT routine, COUNT(*) FROM sessions WHERE reps_done > 0 GROUP BY routine
    """,
    # Take a row out of the totals, then put one in: for inserts, deletes and
    # updates that change the routine or whether a rep was done.  A segment's
    # write updates reps_done every time; the condition keeps that free.
    """
    CREATE TRIGGER routine_totals_insert AFTER INSERT ON sessions WHEN NEW.reps_done > 0
    BEGIN
        INSERT INTO routine_totals (routine, sessions) VALUES (NEW.routine, 1)
        ON CONFLICT (routine) DO UPDATE SET sessions = sessions + 1;
    END
    """,
    """
    CREATE TRIGGER routine_totals_delete AFTER DELETE ON sessions WHEN OLD.reps_done > 0
    BEGIN
        DELETE FROM routine_totals WHERE routine = OLD.routine AND sessions = 1;
        UPDATE routine_totals SET sessions = sessions - 1 WHERE routine = OLD.routine;
    END
    """,
    """
    CREATE TRIGGER routine_totals_update AFTER UPDATE OF routine, reps_done ON sessions
    WHEN OLD.routine IS NOT NEW.routine OR (OLD.reps_done > 0) <> (NEW.reps_done > 0)
    BEGIN
        DELETE FROM routine_totals
        WHERE OLD.reps_done > 0 AND routine = OLD.routine AND sessions = 1;
        UPDATE routine_totals SET sessions = sessions - 1
        WHERE OLD.reps_done > 0 AND routine = OLD.routine;
        INSERT INTO routine_totals (routine, sessions) SELECT NEW.routine, 1
        WHERE NEW.reps_done > 0
        ON CONFLICT (routine) DO UPDATE SET sessions = sessions + 1;
    END
    """,
)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "sessions, segments and day marks", _run(_V1_FACTS)),
    Migration(2, "derived day and exercise totals, indexes", _v2),
    Migration(3, "honest outcomes and statuses, exercise and rep counts, pain entries", _v3),
    Migration(4, "sessions per routine kept by triggers, last day by index", _run(_V4_TOTALS)),
)
LATEST_VERSION = MIGRATIONS[-1].version

# What a database at LATEST_VERSION must hold; checked after migrating, so a
# file that claims our version but is something else is not trusted.
REQUIRED_TABLES = frozenset(
    {
        "plans",
        "sessions",
        "segments",
        "day_marks",
        "session_exercises",
        "exercise_names",
        "pain_entries",
        "routine_totals",
    }
)


class ForeignDatabaseError(Exception):
    """The file is an SQLite database, but not (a readable) si-timer history."""


def user_version(conn: sqlite3.Connection) -> int:
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return int(version)


def table_names(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(name) for (name,) in rows}


def migrate(
    conn: sqlite3.Connection,
    *,
    target: int = LATEST_VERSION,
    before_first: Callable[[int], None] | None = None,
) -> int:
    """Apply the pending migrations up to ``target``; return the version found.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so each
    migration is exactly one explicit transaction.  ``before_first(version)``
    runs before the first pending migration of a database that already had a
    schema (the store takes a backup there).  A newer database is the caller's
    to refuse before calling this.
    """
    found = user_version(conn)
    if found > LATEST_VERSION:
        raise ValueError(f"database version {found} is newer than {LATEST_VERSION}")
    if found == 0 and table_names(conn):
        raise ForeignDatabaseError("the file holds tables but no si-timer schema version")
    pending = [m for m in MIGRATIONS if found < m.version <= target]
    if pending and found > 0 and before_first is not None:
        before_first(found)
    for migration in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(conn)
            # PRAGMA takes no parameters; the version is our own integer.
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    if target == LATEST_VERSION:
        missing = REQUIRED_TABLES - table_names(conn)
        if missing:
            raise ForeignDatabaseError(f"tables missing: {', '.join(sorted(missing))}")
    return found
