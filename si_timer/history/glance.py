"""A look at the history file without opening the store: what ``si-timer start`` needs
before its first countdown paints.

Opening the store (:class:`~si_timer.history.store.HistoryStore`) migrates, checks,
replays owed writes and loads the whole package; the first countdown needs only to
know that no earlier session waits to be resumed, and which exercises are still new
(their cues teach them).  One read-only query answers both, with the standard
library alone; the store opens just after the paint.  Whenever only the store can
tell (writes owed in the journal, a schema of another version, a file that is
locked, damaged or not a database), the answer is None, and the caller opens the
store as before.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from si_timer.history.files import journal_path
from si_timer.records import field, record

# The schema the queries below are written for (a test holds it to the migrations'
# latest version: a new migration must look here again).
SCHEMA_VERSION = 4
# A lock held by another writer: wait no longer than a frame, then leave it to the store.
BUSY_SECONDS = 0.02


@record(frozen=True)
class Glance:
    """What a look at the history found."""

    interrupted: int  # sessions an earlier run left in progress
    exercise_counts: dict[str, int] = field(default_factory=dict)  # as the store's


def glance(database: Path) -> Glance | None:
    """Sessions left in progress and each exercise's count, read from ``database``
    without opening the store; None when only opening it can tell."""
    if journal_path(database).exists():
        return None  # owed writes change both once replayed
    if not database.exists():
        return Glance(0)  # no history yet
    try:
        conn = sqlite3.connect(
            f"file:{quote(str(database))}?mode=ro", uri=True, timeout=BUSY_SECONDS
        )
    except sqlite3.Error:
        return None
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version != SCHEMA_VERSION:
            return None
        (interrupted,) = conn.execute(
            "SELECT COUNT(*) FROM sessions WHERE status = 'in_progress'"
        ).fetchone()
        rows = conn.execute(
            "SELECT exercise, SUM(reps_done > 0) FROM session_exercises GROUP BY exercise"
        ).fetchall()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return Glance(int(interrupted), {str(r[0]): int(r[1]) for r in rows if r[1]})
