"""The history database: opened safely, written the moment each thing happens.

Every write is one ``BEGIN IMMEDIATE ... COMMIT`` with ``synchronous=FULL`` in
WAL mode, so when ``record_segment`` returns the segment survives a crash or
a power cut.  A session that was still running when the program died stays
"in progress" in the file; the next run lists it in
:meth:`HistoryStore.interrupted_sessions` so the person can resume it or keep
it as partial.

Opening never damages data: a newer database is refused untouched; a damaged
or foreign file is moved aside (never deleted) and a fresh one started; a
schema upgrade is preceded by a backup.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from si_timer.history import backup, derived
from si_timer.history.changes import HistoryChange
from si_timer.history.damage import WatchedConnection, is_damage
from si_timer.history.errors import HistoryError, HistoryUnavailableError, SessionStateError
from si_timer.history.ids import new_id
from si_timer.history.journal import (
    BeginSession,
    FinishSession,
    PendingWrite,
    RateSession,
    RecordSegment,
    SetPainBefore,
)
from si_timer.history.merge import (
    Incoming,
    MarkRecord,
    MergeResult,
    merge_into,
    merge_pain_entries,
)
from si_timer.history.migrations import LATEST_VERSION
from si_timer.history.model import (
    DayMark,
    Difficulty,
    InterruptedSession,
    Outcome,
    SegmentRecord,
    SessionStatus,
    StoredSession,
    check_pain,
    require_aware,
)
from si_timer.history.opening import OpenReport, moved_aside_message, open_history, reason_for
from si_timer.history.pain_journal import PainEntry
from si_timer.history.plan import canonical_text, store_plan
from si_timer.history.progress import Progress
from si_timer.history.queries import HistoryQueries, to_db_time
from si_timer.history.tally import ran_long_enough, work_steps
from si_timer.records import replace

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class HistoryStore(HistoryQueries):
    """The person's history, in one SQLite file; build it with :meth:`open`.

    Writes come from the player as events happen; reads come from the views
    and the command line.  After every write the store calls each callback
    given to :meth:`subscribe` once with a :class:`HistoryChange` saying what
    was written: views re-query what they show then.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        backup_dir: Path | None,
        now: Callable[[], datetime],
    ) -> None:
        self._conn = conn
        self._path = path
        self._backup_dir = backup_dir
        self._now = now
        # False: the caller takes each day's backup (off its GUI thread), also the one
        # due when a session ends on a new day with the app open since yesterday.
        self.backs_up_daily = True
        self._subscribers: list[Callable[[HistoryChange], None]] = []
        # Sessions begun or resumed by this store: being recorded right now,
        # so not "interrupted", and the only ones that take segments.
        self._live: set[str] = set()
        self._work_reps: dict[int, dict[int, int]] = {}  # session key -> work index -> reps
        self._plan_exercises = {}
        self._closed = False
        self._recovering = False
        # Damage found after opening: (moved to, problem, sessions kept), for the person.
        self._recovered: list[tuple[Path, str, int]] = []
        self._unread_recoveries = 0
        if isinstance(conn, WatchedConnection):
            conn.on_damage = self._recover

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        backup_dir: Path | None = None,
        now: Callable[[], datetime] = utc_now,
        daily_backup: bool = True,
    ) -> tuple[HistoryStore, OpenReport]:
        """Open (or create) the history at ``path``.

        Raises :class:`NewerDatabaseError` for a file from a newer si-timer and
        :class:`HistoryUnavailableError` when the file or folder cannot be
        used; a damaged file is moved aside and reported instead.
        ``daily_backup`` False leaves today's backup (and so the day's full
        check) to the caller; see :meth:`found_damaged`.
        """
        path = Path(path)
        opened = open_history(path, backup_dir, now, daily_backup=daily_backup)
        store = cls(opened.conn, path, backup_dir, now)
        store.backs_up_daily = daily_backup
        found = opened.found_version
        interrupted = tuple(store.interrupted_sessions())
        moved, problem, kept = opened.moved_aside, opened.problem, opened.kept_sessions
        if store._recovered:  # damage that showed on the first reads
            moved, problem, kept = store._recovered[-1]
            store._unread_recoveries = 0
        report = OpenReport(
            path=path,
            created=opened.created or moved is not None,
            migrated_from=found if 0 < found < LATEST_VERSION else None,
            moved_aside=moved,
            problem=problem,
            migration_backup=opened.migration_backup,
            backup=opened.backup,
            backup_problem=opened.backup_problem,
            interrupted=interrupted,
            backup_dir=backup_dir,
            kept_sessions=kept,
        )
        return store, report

    @property
    def path(self) -> Path:
        return self._path

    # --- damage that shows while in use -----------------------------------------

    def _recover(self, error: sqlite3.Error) -> sqlite3.Connection | None:
        """A statement met a damaged page: do what opening does with a file that
        fails its check (move it aside, keep what can be read, start a fresh one)
        now, not on the next day's check.  Returns the connection to go on with."""
        if not is_damage(error):
            return None
        return self._replace_damaged(f"the database is damaged: {error}")

    def found_damaged(self, problem: str) -> bool:
        """A check made elsewhere (today's backup, taken off the GUI thread) found the
        file damaged: replace it as a damaged read would.  True if it was replaced;
        :meth:`damage_messages` says where the old file went."""
        return self._replace_damaged(problem) is not None

    def _replace_damaged(self, problem: str) -> sqlite3.Connection | None:
        if self._recovering or self._closed:
            return None
        self._recovering = True
        try:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            try:
                opened = open_history(self._path, self._backup_dir, self._now, damaged=problem)
            except HistoryError as failure:
                log.error("history damaged (%s) and could not be replaced: %s", problem, failure)
                self._conn = sqlite3.connect(
                    self._path, isolation_level=None, factory=WatchedConnection
                )
                return None
            assert opened.moved_aside is not None
            self._conn = opened.conn
            opened.conn.on_damage = self._recover
            self._recovered.append((opened.moved_aside, problem, opened.kept_sessions))
            self._unread_recoveries += 1
            log.warning("history damaged in use; moved to %s", opened.moved_aside)
            return self._conn
        finally:
            self._recovering = False

    def damage_messages(self) -> list[str]:
        """Sentences about damage found since the last call (or since opening,
        whose report already told of damage found then); each is said once."""
        fresh = self._recovered[len(self._recovered) - self._unread_recoveries :]
        self._unread_recoveries = 0
        return [
            moved_aside_message(moved, problem, self._backup_dir, kept)
            for moved, problem, kept in fresh
        ]

    @property
    def backup_dir(self) -> Path | None:
        return self._backup_dir

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another process's lock before it fails.

        The running app's writes wait only milliseconds (its recorder retries
        later, so the countdown never freezes); the command line waits longer.
        """
        self._conn.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")

    def write_locked(self) -> bool:
        """True when another connection holds the write lock right now (asked without waiting)."""
        (waits,) = self._conn.execute("PRAGMA busy_timeout").fetchone()
        self._conn.execute("PRAGMA busy_timeout = 0")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            name = getattr(error, "sqlite_errorname", "") or ""
            if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                return True
            raise
        finally:
            self._conn.execute(f"PRAGMA busy_timeout = {int(waits)}")
        self._conn.execute("ROLLBACK")
        return False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- change announcements -------------------------------------------------

    def subscribe(self, callback: Callable[[HistoryChange], None]) -> Callable[[], None]:
        """Call ``callback(change)`` once after each write; returns the unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(callback)

        return unsubscribe

    def _announce(self, change: HistoryChange) -> None:
        for callback in list(self._subscribers):
            callback(change)

    @contextlib.contextmanager
    def _write(
        self, change: HistoryChange | None, *, foreign_keys: bool = True
    ) -> Iterator[sqlite3.Connection]:
        """One transaction; on success, one announcement of ``change`` (None: the
        caller announces what it found out it changed).  ``foreign_keys=False``:
        without SQLite's foreign key checks, for a writer whose every child row
        names a parent it wrote or read in the same transaction."""
        if self._closed:
            raise SessionStateError("the history store is closed")
        if foreign_keys:
            with self._transaction() as conn:
                yield conn
        else:
            # The pragma is a no-op inside a transaction: set around it.
            try:
                self._conn.execute("PRAGMA foreign_keys = OFF")
            except sqlite3.Error as error:
                raise HistoryUnavailableError(self._path, reason_for(error)) from error
            try:
                with self._transaction() as conn:
                    yield conn
            finally:
                self._conn.execute("PRAGMA foreign_keys = ON")
        if change is not None:
            self._announce(change)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise HistoryUnavailableError(self._path, reason_for(error)) from error
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback()
            raise HistoryUnavailableError(self._path, reason_for(error)) from error
        except BaseException:
            self._rollback()
            raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every query inside sees the same history, though
        another process writes meanwhile (an export reads sessions, then segments)."""
        if self._closed:
            raise SessionStateError("the history store is closed")
        conn = self._conn
        if conn.in_transaction:  # the caller's own already gives one snapshot
            yield conn
            return
        conn.execute("BEGIN")
        try:
            # A deferred transaction takes its snapshot at its first read: now.
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
            yield conn
        finally:
            self._rollback()

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    # --- a session, as it happens ---------------------------------------------

    def begin_session(
        self,
        routine_id: str,
        plan_snapshot: dict[str, Any],
        *,
        started_at: datetime,
        utc_offset_minutes: int,
        pain_before: int | None = None,
        session_id: str | None = None,
    ) -> str:
        """Record a new session "in progress"; returns its id (a new UUID string,
        or ``session_id``: a session already stored under that id is left as it is)."""
        require_aware(started_at, "started_at")
        check_pain(pain_before, "pain_before")
        if not -1440 <= utc_offset_minutes <= 1440:
            raise ValueError(f"utc_offset_minutes out of range: {utc_offset_minutes}")
        canonical_text(plan_snapshot)  # not JSON-able is a bug: fail before writing
        session_id = session_id or new_id()
        # Live before the announcement, so listeners see it as being recorded.
        self._live.add(session_id)
        try:
            with self._write(HistoryChange(sessions=True, session_id=session_id)) as conn:
                self._insert_session(
                    conn,
                    BeginSession(
                        session_id, routine_id, plan_snapshot, started_at, utc_offset_minutes
                    ),
                    pain_before,
                )
        except BaseException:
            # Unless it was committed (and only a listener failed afterwards).
            if not self._exists(session_id):
                self._live.discard(session_id)
            raise
        return session_id

    @staticmethod
    def _insert_session(
        conn: sqlite3.Connection, begin: BeginSession, pain_before: int | None
    ) -> bool:
        """Insert the session unless its id is stored already; True when inserted."""
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (begin.session_id,)).fetchone():
            return False
        cursor = conn.execute(
            "INSERT INTO sessions (id, routine, plan_id, started_at, "
            "utc_offset_minutes, status, pain_before) "
            "VALUES (?, ?, ?, ?, ?, 'in_progress', ?)",
            (
                begin.session_id,
                begin.routine_id,
                store_plan(conn, begin.plan),
                to_db_time(begin.started_at),
                begin.utc_offset_minutes,
                pain_before,
            ),
        )
        assert cursor.lastrowid is not None
        derived.refresh_plan_columns(conn, [cursor.lastrowid])
        return True

    def _exists(self, session_id: str) -> bool:
        try:
            row = self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,))
            return row.fetchone() is not None
        except sqlite3.Error:
            return False

    def record_segment(self, session_id: str, segment: SegmentRecord) -> None:
        """Commit one finished segment; when this returns, it is on disk."""
        if session_id not in self._live:
            raise SessionStateError(
                f"session {session_id} is not being recorded here; begin or resume it first"
            )
        with self._write(HistoryChange(segments=True, session_id=session_id)) as conn:
            key = self._key(conn, session_id, SessionStatus.IN_PROGRESS)
            self._insert_segment(conn, key, segment)

    @staticmethod
    def _has_segment(conn: sqlite3.Connection, key: int, segment: SegmentRecord) -> bool:
        """True when this very segment is stored: its own identity is its session,
        its plan index and the moment it ended (the same step done again after
        "back" ends later)."""
        row = conn.execute(
            "SELECT 1 FROM segments WHERE session_key = ? AND idx = ? AND ended_at = ?",
            (key, segment.index, to_db_time(segment.ended_at)),
        ).fetchone()
        return row is not None

    def _insert_segment(self, conn: sqlite3.Connection, key: int, segment: SegmentRecord) -> None:
        """Store one segment, its outcome judged by the one rule (see history/tally.py)."""
        segment = self._credited(conn, key, segment)
        conn.execute(
            "INSERT INTO segments (session_key, seq, idx, kind, exercise, side, set_no, "
            "rep, planned_seconds, actual_seconds, outcome, ended_at) "
            "SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
            "FROM segments WHERE session_key = ?",
            (
                key,
                segment.index,
                segment.kind.value,
                segment.exercise,
                segment.side.value if segment.side is not None else None,
                segment.set,
                segment.rep,
                segment.planned_seconds,
                segment.actual_seconds,
                segment.outcome.value,
                to_db_time(segment.ended_at),
                key,
            ),
        )
        derived.refresh_counters(conn, [key])

    def _credited(
        self, conn: sqlite3.Connection, key: int, segment: SegmentRecord
    ) -> SegmentRecord:
        """``segment``, skipped rather than done when its work did not run long enough."""
        if segment.outcome is not Outcome.DONE or not segment.is_work:
            return segment
        reps = self._work_reps.get(key)
        if reps is None:
            (text,) = conn.execute(
                "SELECT p.plan FROM sessions s JOIN plans p ON p.id = s.plan_id WHERE s.key = ?",
                (key,),
            ).fetchone()
            reps = self._work_reps[key] = {
                step.index: step.reps for step in work_steps(derived.load_plan(text))
            }
        if segment.index in reps and not ran_long_enough(
            segment.planned_seconds, reps[segment.index], segment.actual_seconds
        ):
            return replace(segment, outcome=Outcome.SKIPPED)
        return segment

    def finish_session(
        self,
        session_id: str,
        status: SessionStatus,
        *,
        ended_at: datetime,
        pain_after: int | None = None,
        difficulty: Difficulty | None = None,
        note: str | None = None,
    ) -> None:
        """End a session in progress.  Ratings left None keep any value set before."""
        status = SessionStatus(status)
        if status is SessionStatus.IN_PROGRESS:
            raise ValueError("a session cannot finish as in progress")
        require_aware(ended_at, "ended_at")
        check_pain(pain_after, "pain_after")
        rated = pain_after is not None or difficulty is not None or _clean_note(note) is not None
        change = HistoryChange(sessions=True, ratings=rated, session_id=session_id)
        with self._write(None) as conn:
            key = self._key(conn, session_id, SessionStatus.IN_PROGRESS)
            # Never more than was done: skipping to the end is not "completed", and a
            # session with nothing done is kept as "abandoned" (not listed or counted).
            honest = derived.session_tallies(conn, derived.scope_of(conn, [key]))[key].status
            status = min(status, honest, key=_STATUS_RANK.index)
            conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, "
                "pain_after = COALESCE(?, pain_after), "
                "difficulty = COALESCE(?, difficulty), note = COALESCE(?, note) WHERE key = ?",
                (
                    status.value,
                    to_db_time(ended_at),
                    pain_after,
                    Difficulty(difficulty).value if difficulty is not None else None,
                    _clean_note(note),
                    key,
                ),
            )
        # No longer live before the announcement, so listeners see it as finished.
        self._live.discard(session_id)
        self._announce(change)
        self._daily_backup()

    def set_pain_before(self, session_id: str, pain: int | None) -> None:
        self._set(session_id, "pain_before", check_pain(pain, "pain_before"))

    def set_pain_after(self, session_id: str, pain: int | None) -> None:
        self._set(session_id, "pain_after", check_pain(pain, "pain_after"))

    def set_difficulty(self, session_id: str, difficulty: Difficulty | None) -> None:
        self._set(session_id, "difficulty", Difficulty(difficulty).value if difficulty else None)

    def set_note(self, session_id: str, note: str | None) -> None:
        """Replace the note; None or blank removes it."""
        self._set(session_id, "note", _clean_note(note))

    def _set(self, session_id: str, column: str, value: object) -> None:
        # ``column`` is always one of our literal names above, never input.
        with self._write(HistoryChange(ratings=True, session_id=session_id)) as conn:
            cursor = conn.execute(
                f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, session_id)
            )
            if cursor.rowcount != 1:
                raise SessionStateError(f"no session {session_id}")

    @staticmethod
    def _key(conn: sqlite3.Connection, session_id: str, wanted: SessionStatus) -> int:
        """The row key of a session that must be in status ``wanted``."""
        row = conn.execute(
            "SELECT key, status FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise SessionStateError(f"no session {session_id}")
        if row[1] != wanted.value:
            raise SessionStateError(f"session {session_id} is {row[1]}, not {wanted.value}")
        return int(row[0])

    # --- writes that were owed (the recorder's queue, the journal) --------------

    def claim(self, session_id: str) -> None:
        """This store records ``session_id`` from now on, though its start may still
        be owed: it is not "interrupted", and an import leaves it alone."""
        self._live.add(session_id)

    def apply(self, write: PendingWrite) -> bool:
        """Make one owed write true in the file, in its own transaction; idempotent.

        True when it changed something; False when it was there already, or when
        it no longer fits (a session not in this file: it was begun before the
        file was replaced, so its rows cannot be placed).  Raises
        :class:`HistoryUnavailableError` when the file cannot be written now.
        """
        sid = write.session_id
        match write:
            case BeginSession():
                with self._write(None) as conn:
                    done = self._insert_session(conn, write, None)
                change = HistoryChange(sessions=True, session_id=sid)
            case RecordSegment():
                with self._write(None) as conn:
                    key = self._key_of(conn, sid)
                    done = key is not None and not self._has_segment(conn, key, write.segment)
                    if done:
                        assert key is not None
                        self._insert_segment(conn, key, write.segment)
                change = HistoryChange(segments=True, session_id=sid)
            case SetPainBefore():
                with self._write(None) as conn:
                    done = self._update(
                        conn, sid, "pain_before = ?", check_pain(write.pain, "pain")
                    )
                change = HistoryChange(ratings=True, session_id=sid)
            case FinishSession():
                return self._apply_finish(write)
            case RateSession():
                with self._write(None) as conn:
                    done = self._update(
                        conn,
                        sid,
                        "pain_after = COALESCE(?, pain_after), "
                        "difficulty = COALESCE(?, difficulty), note = COALESCE(?, note)",
                        check_pain(write.pain_after, "pain_after"),
                        write.difficulty.value if write.difficulty is not None else None,
                        _clean_note(write.note),
                    )
                change = HistoryChange(ratings=True, session_id=sid)
        if not done:
            log.info("owed history write already applied or without its session: %s", write)
            return False
        self._announce(change)
        return True

    def _apply_finish(self, write: FinishSession) -> bool:
        with self._write(None) as conn:
            cursor = conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ? "
                "WHERE id = ? AND status = 'in_progress'",
                (SessionStatus(write.status).value, to_db_time(write.ended_at), write.session_id),
            )
            done = cursor.rowcount == 1
        self._live.discard(write.session_id)
        if not done:
            return False
        self._announce(HistoryChange(sessions=True, session_id=write.session_id))
        self._daily_backup()
        return True

    @staticmethod
    def _key_of(conn: sqlite3.Connection, session_id: str) -> int | None:
        row = conn.execute("SELECT key FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else int(row[0])

    @staticmethod
    def _update(
        conn: sqlite3.Connection, session_id: str, assignments: str, *values: object
    ) -> bool:
        # ``assignments`` is always one of apply's literal texts, never input.
        cursor = conn.execute(
            f"UPDATE sessions SET {assignments} WHERE id = ?", (*values, session_id)
        )
        return cursor.rowcount == 1

    # --- after a crash ----------------------------------------------------------

    def is_recording(self, session_id: str) -> bool:
        """True while this store records ``session_id`` (begun or resumed here)."""
        return session_id in self._live

    def interrupted_sessions(self) -> list[InterruptedSession]:
        """Sessions left in progress by an earlier run, oldest first."""
        return [s for s in self._in_progress() if s.id not in self._live]

    def resume_session(self, session_id: str) -> InterruptedSession:
        """Take an interrupted session up again: segments go on being recorded into it."""
        for session in self.interrupted_sessions():
            if session.id == session_id:
                self._live.add(session_id)
                # Nothing is written, but it is no longer "interrupted".
                self._announce(HistoryChange(sessions=True, session_id=session_id))
                return session
        raise SessionStateError(f"session {session_id} is not an interrupted session")

    def keep_as_partial(self, session_id: str) -> None:
        """Close an interrupted session as partial, ended at its last activity."""
        for session in self.interrupted_sessions():
            if session.id == session_id:
                self.finish_session(
                    session_id, SessionStatus.PARTIAL, ended_at=session.last_activity_at
                )
                return
        raise SessionStateError(f"session {session_id} is not an interrupted session")

    # --- days the person marks ----------------------------------------------------

    def set_day_mark(self, day: date, mark: DayMark | None) -> None:
        """Mark ``day`` as a rest or sick day, or clear its mark with None."""
        with self._write(HistoryChange(marks=True)) as conn:
            if mark is None:
                conn.execute("DELETE FROM day_marks WHERE day = ?", (day.isoformat(),))
            else:
                conn.execute(
                    "INSERT INTO day_marks (day, mark, set_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (day) DO UPDATE SET "
                    "mark = excluded.mark, set_at = excluded.set_at",
                    (day.isoformat(), DayMark(mark).value, to_db_time(self._now())),
                )

    # --- pain logged on its own -------------------------------------------------

    def log_pain(
        self, pain: int, note: str | None, *, at: datetime, utc_offset_minutes: int
    ) -> str:
        """Record pain felt now, without a session; returns the entry's id."""
        entry = PainEntry(
            id=new_id(),
            at=at,
            utc_offset_minutes=utc_offset_minutes,
            pain=pain,
            note=_clean_note(note),
            edited_at=self._now(),
        )
        with self._write(HistoryChange(pain=True)) as conn:
            merge_pain_entries(conn, [entry])
        return entry.id

    def set_pain_entry_note(self, entry_id: str, note: str | None) -> None:
        """Replace a pain entry's note; None or blank removes it."""
        with self._write(HistoryChange(pain=True)) as conn:
            cursor = conn.execute(
                "UPDATE pain_entries SET note = ?, edited_at = ? WHERE id = ?",
                (_clean_note(note), to_db_time(self._now()), entry_id),
            )
            if cursor.rowcount != 1:
                raise SessionStateError(f"no pain entry {entry_id}")

    def mark_records(self) -> list[MarkRecord]:
        rows = self._conn.execute("SELECT day, mark, set_at FROM day_marks ORDER BY day")
        return [
            MarkRecord(date.fromisoformat(d), DayMark(m), datetime.fromisoformat(s))
            for d, m, s in rows
        ]

    # --- bulk ---------------------------------------------------------------------

    def merge(
        self,
        sessions: Iterable[StoredSession | Incoming],
        marks: Iterable[MarkRecord],
        pain_entries: Iterable[PainEntry] = (),
        *,
        writing: Progress | None = None,
        deriving: Progress | None = None,
    ) -> MergeResult:
        """Merge sessions, day marks and pain entries from a backup, in one transaction
        (see merge.py; ``writing`` and ``deriving`` report its later steps, and may
        raise to roll it back)."""
        # Every segment and exercise row the merge inserts belongs to a session
        # it has just inserted or read (merge.py builds them so): a foreign key
        # lookup per row would be a third of writing ten years of rows.
        with self._write(None, foreign_keys=False) as conn:
            result = merge_into(
                conn,
                sessions,
                marks,
                protected=frozenset(self._live),
                writing=writing,
                deriving=deriving,
            )
            pain = merge_pain_entries(conn, pain_entries)
            if deriving is not None:
                deriving(1, 1)  # all written: the last point to cancel at
            result = replace(
                result, pain_added=pain[0], pain_updated=pain[1], pain_unchanged=pain[2]
            )
        self._announce(HistoryChange.of_merge(result))
        return result

    def _daily_backup(self) -> tuple[Path | None, str | None]:
        if self._backup_dir is None or not self.backs_up_daily:
            return None, None
        try:
            return backup.daily_backup(self._conn, self._backup_dir, self._now()), None
        except backup.BackupError as error:
            log.warning("daily history backup failed: %s", error)
            return None, str(error)


_STATUS_RANK = [SessionStatus.ABANDONED, SessionStatus.PARTIAL, SessionStatus.COMPLETED]


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    return note or None
