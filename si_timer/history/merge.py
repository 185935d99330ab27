"""Merging sessions and day marks from a backup into the database.

Sessions are matched by their id (a UUID made when the session began), so
importing the same backup twice adds nothing and two machines' backups merge
without duplicates.  When both sides hold the same session, nothing recorded
on either side is lost: segment rows are united by their own identity (plan
index, kind, end time), never replaced, so a copy with fewer rows cannot wipe
out one with more.  The session's status and times come from the more
complete copy (a finished one beats one still in progress, otherwise the one
with more rows); ratings and a note missing there are filled in from the
other.  For a day marked on both sides, the later mark wins.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from si_timer.history import derived
from si_timer.history.model import DayMark, SessionStatus, StoredSession
from si_timer.history.pain_journal import PainEntry
from si_timer.history.plan import store_plan
from si_timer.history.progress import Progress
from si_timer.history.queries import to_db_time
from si_timer.records import record


@record(frozen=True)
class MarkRecord:
    day: date
    mark: DayMark
    set_at: datetime


@record(frozen=True)
class MergeResult:
    sessions_added: int = 0
    sessions_updated: int = 0
    sessions_unchanged: int = 0
    marks_added: int = 0
    marks_updated: int = 0
    marks_unchanged: int = 0
    pain_added: int = 0
    pain_updated: int = 0
    pain_unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.sessions_added
            + self.sessions_updated
            + self.marks_added
            + self.marks_updated
            + self.pain_added
            + self.pain_updated
        )

    def describe(self) -> str:
        """One sentence for the person."""
        parts = [
            f"{self.sessions_added:,} new session{'s' if self.sessions_added != 1 else ''}",
            f"{self.sessions_updated:,} updated",
            f"{self.sessions_unchanged:,} already there",
        ]
        marks = self.marks_added + self.marks_updated
        text = "Imported " + ", ".join(parts)
        if marks:
            text += f"; {marks:,} day mark{'s' if marks != 1 else ''}"
        pain = self.pain_added + self.pain_updated
        if pain:
            text += f"; {pain:,} pain entr{'ies' if pain != 1 else 'y'}"
        return text + "."


# Python's sqlite3 binds int, float and str directly but sends every other value,
# None too, through its adapter lookup: two failed attribute lookups for each
# NULL: a sixth of inserting ten years of segment rows, one value in eight of
# them NULL.  An adapter registered for None is found by the lookup's first
# step; ``{}.get`` is a C call that returns None for None, so NULL is bound as
# before, only sooner (for every connection: the value bound is the same).
_NULL: dict[None, None] = {}
sqlite3.register_adapter(type(None), _NULL.get)

_INSERT_NEW_SESSION = (
    "INSERT INTO sessions (key, id, routine, plan_id, started_at, utc_offset_minutes, "
    f"ended_at, status, pain_before, pain_after, difficulty, note, {derived.SESSION_COLUMNS}) "
    f"VALUES ({', '.join('?' * 24)})"
)
_SEGMENT_COLUMNS = (
    "session_key, seq, idx, kind, exercise, side, set_no, rep, planned_seconds, "
    "actual_seconds, outcome, ended_at"
)
_INSERT_SEGMENT = (
    "INSERT INTO segments (session_key, seq, idx, kind, exercise, side, set_no, rep, "
    "planned_seconds, actual_seconds, outcome, ended_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@record(frozen=True, slots=True)
class Incoming:
    """One session of a backup as database values, checked: what the merge writes.

    ``fields`` are the ``sessions`` columns after ``plan_id`` (routine, started_at,
    utc_offset_minutes, ended_at, status, pain_before, pain_after, difficulty, note),
    times as stored text; ``segments`` are the ``segments`` columns after
    ``session_key``, one sequence per row.  A version-2 backup is read straight into
    these; other backups come as :class:`StoredSession` and go through :func:`incoming_of`.
    """

    id: str
    plan: dict[str, Any]
    fields: tuple[object, ...]
    segments: Sequence[Sequence[object]]

    @property
    def status(self) -> str:
        return str(self.fields[4])


def incoming_of(s: StoredSession) -> Incoming:
    return Incoming(
        s.id,
        s.plan,
        (
            s.routine,
            to_db_time(s.started_at),
            s.utc_offset_minutes,
            to_db_time(s.ended_at) if s.ended_at is not None else None,
            s.status.value,
            s.pain_before,
            s.pain_after,
            s.difficulty.value if s.difficulty is not None else None,
            s.note,
        ),
        [
            (
                seg.seq,
                seg.record.index,
                seg.record.kind.value,
                seg.record.exercise,
                seg.record.side.value if seg.record.side is not None else None,
                seg.record.set,
                seg.record.rep,
                seg.record.planned_seconds,
                seg.record.actual_seconds,
                seg.record.outcome.value,
                _db_time(seg.record.ended_at),
            )
            for seg in s.segments
        ],
    )


def _session_row(s: Incoming, plan_id: int) -> tuple[object, ...]:
    return (s.id, s.fields[0], plan_id, *s.fields[1:])


def _db_time(moment: datetime) -> str:
    """:func:`to_db_time`, a step shorter for the usual UTC time (every row of a backup)."""
    if moment.tzinfo is UTC:
        return moment.isoformat(timespec="microseconds")
    return to_db_time(moment)


def _segment_rows(s: Incoming, key: int) -> list[tuple[object, ...]]:
    return [(key, *row) for row in s.segments]


# A segment row's identity: which plan segment it was and the instant it ended.
# Two copies of one session share these for every row they both recorded.
def _identity(row: tuple[object, ...]) -> tuple[object, ...]:
    return (row[2], row[3], row[11])


# The same of a row of Incoming.segments (no session key), and a stored one's end.
_INCOMING_IDENTITY = itemgetter(1, 2, 10)
_END = itemgetter(2)


def _finished(status: str) -> bool:
    return status != SessionStatus.IN_PROGRESS.value


def _theirs_lead(incoming: Incoming, status: str, segment_count: int) -> bool:
    """Whether the incoming copy's status and times describe the session better.

    A finished copy beats one in progress (the session did end somewhere);
    otherwise the copy with more segment rows.  This picks the session's
    fields only: segment rows are always united, never replaced.
    """
    theirs_finished = _finished(incoming.status)
    if theirs_finished != _finished(status):
        return theirs_finished
    return len(incoming.segments) > segment_count


def _united(
    conn: sqlite3.Connection,
    key: int,
    known: set[tuple[object, ...]],
    theirs: list[tuple[object, ...]],
) -> list[tuple[object, ...]] | None:
    """Both copies' segment rows, each once, in the order they ended; None when
    the incoming copy adds no row we lack (the common case: only the identities
    of ours, ``known``, are read)."""
    extra = []
    for row in theirs:
        if _identity(row) not in known:
            known.add(_identity(row))
            extra.append(row)
    if not extra:
        return None
    ours = conn.execute(
        f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE session_key = ? ORDER BY seq", (key,)
    ).fetchall()
    # Stable: rows ending at the same instant keep our order, then theirs.
    rows = sorted([*ours, *extra], key=lambda row: str(row[11]))
    return [(key, seq, *row[2:]) for seq, row in enumerate(rows, start=1)]


def _merge_existing(
    conn: sqlite3.Connection,
    incoming: Incoming,
    row: tuple[object, ...],
    plan_id: Callable[[Incoming], int],
) -> bool:
    """Merge ``incoming`` into our copy ``row``; True when anything changed."""
    key = int(str(row[0]))
    identities = conn.execute(
        "SELECT idx, kind, ended_at FROM segments WHERE session_key = ?", (key,)
    ).fetchall()
    count = len(identities)
    last_end = max(map(str, map(_END, identities))) if identities else None
    current = tuple(row[1:])  # routine, plan_id, started_at, offset, ended_at, status, ratings
    theirs = _session_row(incoming, 0)
    if _theirs_lead(incoming, str(row[6]), count):
        lead = (*_session_row(incoming, plan_id(incoming))[1:7],)
        first, second = theirs[7:], current[6:]
    else:
        lead = current[:6]
        first, second = current[6:], theirs[7:]
    # Ratings and the note: the leading copy's, the other's where it has none.
    ratings = tuple(a if a is not None else b for a, b in zip(first, second, strict=True))
    # Their rows in the order they were recorded (stable sort below keeps it).
    known = set(identities)
    united = None
    # Most often every row of theirs is one of ours: told without building the rows.
    if not all(map(known.__contains__, map(_INCOMING_IDENTITY, incoming.segments))):
        theirs_rows = sorted(_segment_rows(incoming, key), key=itemgetter(1))
        united = _united(conn, key, known, theirs_rows)
    ends = [str(r[11]) for r in united] if united is not None else [last_end] if count else []
    ended_at = lead[4]
    if ended_at is not None and ends:
        # A finished session ended no earlier than its last recorded segment.
        ended_at = max(str(ended_at), *ends)
    merged = (*lead[:4], ended_at, lead[5], *ratings)
    if united is None and merged == current:
        return False
    conn.execute(
        "UPDATE sessions SET routine = ?, plan_id = ?, started_at = ?, "
        "utc_offset_minutes = ?, ended_at = ?, status = ?, pain_before = ?, "
        "pain_after = ?, difficulty = ?, note = ? WHERE key = ?",
        (*merged, key),
    )
    if united is not None:
        conn.execute("DELETE FROM segments WHERE session_key = ?", (key,))
        conn.executemany(_INSERT_SEGMENT, united)
    return True


def table_checks(conn: sqlite3.Connection, table: str) -> list[str]:
    """The ``CHECK (...)`` expressions of ``table``, as its schema in the file states them."""
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    sql = str(row[0]) if row else ""
    found: list[str] = []
    for match in re.finditer(r"\bCHECK\s*\(", sql, re.IGNORECASE):
        depth, start = 0, match.end() - 1
        for end in range(start, len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                found.append(sql[start : end + 1])
                break
    return found


@contextlib.contextmanager
def _checks_after(conn: sqlite3.Connection, table: str, key: str, first: int) -> Iterator[None]:
    """Rows inserted into ``table`` meanwhile, with ``key`` from ``first`` on, are held
    to the table's ``CHECK``s in one query after them instead of one by one.

    SQLite evaluates a table's checks for each row it writes, most of the cost of
    inserting many (an ``IN`` list is set up again for every row); one query over
    the rows just written tests the same expressions, read from the schema
    itself, in a fraction of that time.  A row that fails raises
    :class:`sqlite3.IntegrityError` as the insert would, the rows removed again.
    """
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")
    checks = table_checks(conn, table)
    if not checks:
        return
    # A CHECK fails only when false (NULL passes): IS NOT FALSE says just that.
    passes = " AND ".join(f"{check} IS NOT FALSE" for check in checks)
    failing = conn.execute(
        f"SELECT 1 FROM {table} WHERE {key} >= ? AND NOT ({passes}) LIMIT 1", (first,)
    ).fetchone()
    if failing is not None:
        conn.execute(f"DELETE FROM {table} WHERE {key} >= ?", (first,))
        raise sqlite3.IntegrityError(f"CHECK constraint failed: {table}")


class _NewSegments:
    """The segment rows of new sessions, inserted together at the end.

    They are held to the schema's ``CHECK``s after they are written
    (:func:`_checks_after`; the backup's reader refuses such a row long before:
    this is the schema's word, kept).  New sessions have the highest keys, so the
    rows written are exactly those from the first new key on.

    The rows go in a slice at a time, each a point to report progress and so to
    cancel at (``progress(rows written, rows in all)``).
    """

    SLICES = 20

    def __init__(self, conn: sqlite3.Connection, progress: Progress | None) -> None:
        self._conn = conn
        self._progress = progress
        self._rows: list[tuple[object, ...]] = []
        self.keys: set[int] = set()
        self._first = 0  # the lowest key of the batch

    def add(self, key: int, rows: list[tuple[object, ...]]) -> None:
        if not self.keys:
            self._first = key
        self._rows.extend(rows)
        self.keys.add(key)

    def flush(self) -> None:
        rows, conn, progress = self._rows, self._conn, self._progress
        if not rows:
            self.keys.clear()
            return
        step = max(1000, -(-len(rows) // self.SLICES))
        with _checks_after(conn, "segments", "session_key", self._first):
            for start in range(0, len(rows), step):
                if progress is not None:
                    progress(start, len(rows))
                conn.executemany(_INSERT_SEGMENT, rows[start : start + step])
        if progress is not None:
            progress(len(rows), len(rows))
        rows.clear()
        self.keys.clear()


# Past this many new sessions the routine totals' insert trigger is set aside
# and its work done once (one grouped count) instead of once per row.
_BULK_SESSIONS = 100
_TOTALS_TRIGGER = "routine_totals_insert"
_ADD_TOTALS = """
INSERT INTO routine_totals (routine, sessions)
SELECT routine, COUNT(*) FROM sessions WHERE key >= ? AND reps_done > 0 GROUP BY routine
ON CONFLICT (routine) DO UPDATE SET sessions = sessions + excluded.sessions
"""


def _insert_new_sessions(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """Insert new sessions (keys above every existing one), inside the caller's
    transaction.  Many at once go in without the per-row trigger on
    ``routine_totals``: it is dropped, its work is done for all the new rows in
    one statement, and it is created again from its own stored text, all in the
    same transaction (a rollback restores it with everything else); and they are
    held to the table's checks after them (:func:`_checks_after`)."""
    trigger = None
    if len(rows) >= _BULK_SESSIONS:
        found = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (_TOTALS_TRIGGER,),
        ).fetchone()
        trigger = str(found[0]) if found else None
    if trigger is None:
        conn.executemany(_INSERT_NEW_SESSION, rows)
        return
    first = min(int(str(row[0])) for row in rows)
    conn.execute(f"DROP TRIGGER {_TOTALS_TRIGGER}")
    with _checks_after(conn, "sessions", "key", first):
        conn.executemany(_INSERT_NEW_SESSION, rows)
    conn.execute(_ADD_TOTALS, (first,))
    conn.execute(trigger)


_OURS_COLUMNS = (
    "key, routine, plan_id, started_at, utc_offset_minutes, ended_at, status, "
    "pain_before, pain_after, difficulty, note"
)


def merge_into(
    conn: sqlite3.Connection,
    sessions: Iterable[StoredSession | Incoming],
    marks: Iterable[MarkRecord],
    *,
    protected: frozenset[str] = frozenset(),
    writing: Progress | None = None,
    deriving: Progress | None = None,
) -> MergeResult:
    """Merge inside the caller's open transaction.  ``protected`` sessions (being
    recorded right now) are never changed.  ``writing`` reports the new sessions'
    segment rows as they are written, ``deriving`` the steps after them (either
    may raise to stop; the caller then rolls back)."""
    added = updated = unchanged = 0
    touched: list[int] = []
    plan_ids: dict[int, int] = {}  # id(plan dict) -> plans row; backups share plan objects
    kept: list[Incoming] = []  # keeps those ids alive while cached

    def plan_id(session: Incoming) -> int:
        cached = plan_ids.get(id(session.plan))
        if cached is None:
            cached = plan_ids[id(session.plan)] = store_plan(conn, session.plan)
            kept.append(session)
        return cached

    # Sessions we hold, by id; new ones get the next keys and are written together
    # (one statement for all, their rows after them), their derived data computed
    # from the rows in hand; sessions that change get theirs from the database.
    # Ours are read in one pass, each taken once: one met again (a backup holding
    # a session twice) is read again, as the merge left it.
    known: dict[str, int] = {}
    ours: dict[int, tuple[object, ...]] = {}
    for row in conn.execute(f"SELECT id, {_OURS_COLUMNS} FROM sessions"):
        known[row[0]] = row[1]
        ours[row[1]] = row[1:]
    (next_key,) = conn.execute("SELECT COALESCE(MAX(key), 0) + 1 FROM sessions").fetchone()
    new_rows: list[tuple[object, ...]] = []
    segments = _NewSegments(conn, writing)
    new_derived = derived.NewSessions(conn)

    def write_new() -> None:
        _insert_new_sessions(conn, new_rows)
        new_rows.clear()
        segments.flush()
        new_derived.write()

    for item in sessions:
        incoming = item if isinstance(item, Incoming) else incoming_of(item)
        key = known.get(incoming.id)
        if key is None:
            key = known[incoming.id] = next_key
            next_key += 1
            plan = plan_id(incoming)
            extra = new_derived.add(key, plan, incoming.fields, incoming.segments)
            new_rows.append((key, *_session_row(incoming, plan), *extra))
            segments.add(key, _segment_rows(incoming, key))
            added += 1
            continue
        if key in segments.keys:  # the same session twice in one backup
            write_new()
        row = ours.pop(key, None)
        if row is None:
            row = conn.execute(
                f"SELECT {_OURS_COLUMNS} FROM sessions WHERE key = ?", (key,)
            ).fetchone()
        if incoming.id not in protected and _merge_existing(conn, incoming, row, plan_id):
            touched.append(key)
            updated += 1
        else:
            unchanged += 1
    write_new()
    if deriving is not None:
        deriving(0, 3)
    if touched:
        derived.rebuild(conn, touched)
    if deriving is not None:
        deriving(1, 3)

    m_added = m_updated = m_unchanged = 0
    for record in marks:  # noqa: F402 (the decorator is not used in here)
        row = conn.execute(
            "SELECT mark, set_at FROM day_marks WHERE day = ?", (record.day.isoformat(),)
        ).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO day_marks (day, mark, set_at) VALUES (?, ?, ?)",
                (record.day.isoformat(), record.mark.value, to_db_time(record.set_at)),
            )
            m_added += 1
        elif row[0] != record.mark.value and to_db_time(record.set_at) > row[1]:
            conn.execute(
                "UPDATE day_marks SET mark = ?, set_at = ? WHERE day = ?",
                (record.mark.value, to_db_time(record.set_at), record.day.isoformat()),
            )
            m_updated += 1
        else:
            m_unchanged += 1
    if deriving is not None:
        deriving(2, 3)
    return MergeResult(added, updated, unchanged, m_added, m_updated, m_unchanged)


def merge_pain_entries(
    conn: sqlite3.Connection, entries: Iterable[PainEntry]
) -> tuple[int, int, int]:
    """Merge pain entries by id inside the caller's transaction: a new one is added,
    a copy edited later replaces ours.  Returns (added, updated, unchanged)."""
    added = updated = unchanged = 0
    for entry in entries:
        row = conn.execute(
            "SELECT edited_at FROM pain_entries WHERE id = ?", (entry.id,)
        ).fetchone()
        values = (
            to_db_time(entry.at),
            entry.utc_offset_minutes,
            entry.local_day.isoformat(),
            entry.pain,
            entry.note,
            to_db_time(entry.edited_at),
            entry.id,
        )
        if row is None:
            conn.execute(
                "INSERT INTO pain_entries (at, utc_offset_minutes, local_day, pain, note, "
                "edited_at, id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            added += 1
        elif to_db_time(entry.edited_at) > row[0]:
            conn.execute(
                "UPDATE pain_entries SET at = ?, utc_offset_minutes = ?, local_day = ?, "
                "pain = ?, note = ?, edited_at = ? WHERE id = ?",
                values,
            )
            updated += 1
        else:
            unchanged += 1
    return added, updated, unchanged
