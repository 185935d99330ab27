"""Damage found whenever it shows, and what can still be read from a damaged file.

SQLite notices a damaged page only when a statement reads it, which may be
hours after the day's open check passed.  :class:`WatchedConnection` hands
such an error to its ``on_damage`` callback (the store's), which moves the file
aside and opens a fresh one holding what could still be read; a read outside a
transaction is then answered from the fresh file instead of failing.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from si_timer.history.merge import MarkRecord, merge_into
from si_timer.history.model import DayMark, StoredSession

# The row shapes are the queries module's own; salvage reads them by row key.
from si_timer.history.queries import _SEGMENT_COLUMNS, _SESSION_COLUMNS, _SESSION_FROM, from_db_time
from si_timer.history.queries import _segment as segment_from_row
from si_timer.history.queries import _stored as stored_from_row

log = logging.getLogger(__name__)

DamageHandler = Callable[[sqlite3.Error], sqlite3.Connection | None]


def is_damage(error: BaseException) -> bool:
    """True for SQLite's "database disk image is malformed" and "not a database"."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def _damage_seen(conn: sqlite3.Connection, error: sqlite3.Error) -> sqlite3.Connection | None:
    handler: DamageHandler | None = getattr(conn, "on_damage", None)
    if handler is None or not is_damage(error):
        return None
    return handler(error)


class WatchedCursor(sqlite3.Cursor):
    """A cursor that reports damage met while stepping through rows."""

    _query: tuple[str, Any] = ("", ())
    _retryable = False

    # After damage this returns the fresh connection's cursor, not ``self``.
    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:  # type: ignore[override]
        self._query = (sql, parameters)
        # Only a statement outside a transaction can be run again elsewhere:
        # inside one, the work before it happened on the damaged file.
        self._retryable = not self.connection.in_transaction
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as error:
            return self._elsewhere(error).execute(sql, parameters)

    def _elsewhere(self, error: sqlite3.DatabaseError) -> sqlite3.Connection:
        """The fresh connection to run the statement again on, or raise ``error``."""
        retryable = self._retryable
        self._retryable = False  # once: rows may already have been handed out
        replacement = _damage_seen(self.connection, error)
        if replacement is None or not retryable:
            raise error
        return replacement

    def fetchone(self) -> Any:
        try:
            row = super().fetchone()
        except sqlite3.DatabaseError as error:
            return self._elsewhere(error).execute(*self._query).fetchone()
        self._retryable = False
        return row

    def fetchall(self) -> list[Any]:
        try:
            rows = super().fetchall()
        except sqlite3.DatabaseError as error:
            return self._elsewhere(error).execute(*self._query).fetchall()
        self._retryable = False
        return rows

    def fetchmany(self, size: int | None = 1) -> list[Any]:
        try:
            rows = super().fetchmany(size)
        except sqlite3.DatabaseError as error:
            return self._elsewhere(error).execute(*self._query).fetchmany(size)
        self._retryable = False
        return rows


class WatchedConnection(sqlite3.Connection):
    """A connection whose every statement reports damage to ``on_damage``.

    ``on_damage(error)`` returns the connection to use from now on (None: the
    error stands).  Rows read by iterating a cursor directly are not watched:
    iteration stays at C speed for exports of many years.
    """

    on_damage: DamageHandler | None = None

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor(WatchedCursor).execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.DatabaseError as error:
            _damage_seen(self, error)
            raise


# Sessions are looked up by their row key, which needs no index; after this
# many keys in a row without a session the table is taken to have ended.
_KEY_GAP = 1000


def _session_keys(conn: sqlite3.Connection) -> list[int]:
    try:
        return [int(k) for (k,) in conn.execute("SELECT key FROM sessions ORDER BY key")]
    except sqlite3.Error:
        pass
    keys: list[int] = []
    key = misses = 0
    while misses < _KEY_GAP:
        key += 1
        try:
            found = conn.execute("SELECT 1 FROM sessions WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            found = None
        if found is None:
            misses += 1
        else:
            misses = 0
            keys.append(key)
    return keys


def _session_at(conn: sqlite3.Connection, key: int) -> StoredSession | None:
    row = conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM {_SESSION_FROM} WHERE s.key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    segments = conn.execute(
        f"SELECT {_SEGMENT_COLUMNS} FROM segments WHERE session_key = ? ORDER BY seq",
        (key,),
    ).fetchall()
    return stored_from_row(row, tuple(segment_from_row(s) for s in segments))


def readable_parts(path: Path) -> tuple[list[StoredSession], list[MarkRecord]]:
    """Every session and day mark of a damaged history that can still be read.

    The file is opened read-only; a session whose rows cannot all be read is
    left out whole (a half session would claim work that was not done).
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return [], []
    sessions: list[StoredSession] = []
    marks: list[MarkRecord] = []
    try:
        for key in _session_keys(conn):
            try:
                session = _session_at(conn, key)
            except (sqlite3.Error, ValueError, TypeError, KeyError):
                continue
            if session is not None:
                sessions.append(session)
        try:
            rows = conn.execute("SELECT day, mark, set_at FROM day_marks").fetchall()
        except sqlite3.Error:
            rows = []
        for day, mark, set_at in rows:
            try:
                marks.append(
                    MarkRecord(date.fromisoformat(day), DayMark(mark), from_db_time(set_at))
                )
            except (ValueError, TypeError):
                continue
    finally:
        conn.close()
    return sessions, marks


def keep_readable_parts(conn: sqlite3.Connection, damaged: Path) -> int:
    """Copy what can be read from ``damaged`` into the fresh history ``conn``;
    returns the number of sessions kept."""
    sessions, marks = readable_parts(damaged)
    if not sessions and not marks:
        return 0
    try:
        conn.execute("BEGIN IMMEDIATE")
        merge_into(conn, sessions, marks)
        conn.execute("COMMIT")
    except (sqlite3.Error, ValueError) as error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        log.warning("nothing could be kept from %s: %s", damaged, error)
        return 0
    return len(sessions)
