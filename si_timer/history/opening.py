"""Opening the history file without ever making things worse.

A file from a newer si-timer is refused before anything is written to it; a
damaged or foreign file is reported as unreadable (the store moves it aside);
an older schema is backed up, then migrated.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from si_timer.history import backup
from si_timer.history.damage import WatchedConnection, is_damage, keep_readable_parts
from si_timer.history.errors import HistoryUnavailableError, NewerDatabaseError
from si_timer.history.files import (
    create_private_file,
    ensure_private_dir,
    move_aside,
    secure_file,
)
from si_timer.history.migrations import (
    LATEST_VERSION,
    ForeignDatabaseError,
    migrate,
    user_version,
)
from si_timer.history.model import InterruptedSession
from si_timer.records import record

log = logging.getLogger(__name__)

# Another si-timer (or `si-timer export`) may hold the write lock briefly.
BUSY_TIMEOUT_SECONDS = 5.0


@record(frozen=True)
class OpenReport:
    """What happened while opening, for the app to tell the person."""

    path: Path
    created: bool  # no history existed (or a bad file was replaced)
    migrated_from: int | None  # the schema version upgraded from, if any
    moved_aside: Path | None  # where an unreadable file went
    problem: str | None  # what was wrong with it
    migration_backup: Path | None
    backup: Path | None  # today's automatic backup, if made now
    backup_problem: str | None
    interrupted: tuple[InterruptedSession, ...]
    backup_dir: Path | None = None
    kept_sessions: int = 0

    def messages(self) -> list[str]:
        """Sentences for the person; empty when all went as usual."""
        out: list[str] = []
        if self.moved_aside is not None:
            out.append(
                moved_aside_message(
                    self.moved_aside, self.problem, self.backup_dir, self.kept_sessions
                )
            )
        if self.backup_problem is not None:
            out.append(f"Today's automatic backup of your history failed: {self.backup_problem}")
        return out


def moved_aside_message(
    moved: Path, problem: str | None, backup_dir: Path | None, kept: int
) -> str:
    """What the person is told when a damaged history was moved aside."""
    if kept:
        started = (
            f"a new history was started with the {kept} session{'s' if kept != 1 else ''} "
            "that could still be read"
        )
    else:
        started = "a new, empty history was started"
    text = (
        f"Your history file could not be read ({problem}). It was moved to {moved} and {started}."
    )
    if backup_dir is not None:
        text += (
            f" Daily backups are kept in {backup_dir}; importing one "
            "(History > Import…, or `si-timer import FILE`) brings its sessions back."
        )
    return text


class Unreadable(Exception):
    """The file is not a readable si-timer history; it gets moved aside."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def reason_for(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL"):
        return "the disk is full"
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN")):
        return f"the file or its folder cannot be written ({error})"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "another si-timer is using it; close that one and try again"
    if is_damage(error):
        return (
            "the file is damaged; it is moved aside and a fresh one started with "
            "everything that could still be read"
        )
    return str(error)


def _connect(
    path: Path, backup_dir: Path | None, now: Callable[[], datetime], *, full_check: bool
) -> tuple[WatchedConnection, bool, int, Path | None]:
    """Open, check and migrate ``path``: (connection, created, found version, backup)."""
    created = not path.exists() or path.stat().st_size == 0
    try:
        if not path.exists():
            create_private_file(path)
        conn = sqlite3.connect(
            path,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_SECONDS,
            factory=WatchedConnection,
        )
    except (OSError, sqlite3.Error) as error:
        raise HistoryUnavailableError(path, f"it cannot be opened ({error})") from error
    try:
        found = user_version(conn)  # the first read: nothing written before it
        if found > LATEST_VERSION:
            raise NewerDatabaseError(path, found, LATEST_VERSION)
        secure_file(path)
        if full_check and not created:
            verdict = quick_check(conn)
            if verdict != "ok":
                raise Unreadable(f"the database is damaged: {verdict}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        taken: list[Path] = []

        def before_upgrade(version: int) -> None:
            if backup_dir is None:
                return
            try:
                taken.append(backup.migration_backup(conn, backup_dir, version, now()))
            except backup.BackupError as error:
                raise HistoryUnavailableError(
                    path, f"it needs an upgrade, and the backup before it failed ({error})"
                ) from error

        migrate(conn, before_first=before_upgrade)
        return conn, created, found, taken[0] if taken else None
    except ForeignDatabaseError as error:
        conn.close()
        raise Unreadable(f"it is not a si-timer history ({error})") from error
    except sqlite3.Error as error:
        conn.close()
        if is_damage(error):
            raise Unreadable(str(error)) from error
        raise HistoryUnavailableError(path, reason_for(error)) from error
    except BaseException:
        conn.close()
        raise


def quick_check(conn: sqlite3.Connection) -> str:
    """SQLite's own check of every page and row: "ok" or the first problem."""
    try:
        (verdict,) = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as error:
        if is_damage(error):  # too broken to even be checked
            return str(error)
        raise
    return str(verdict)


@record(frozen=True)
class Opened:
    conn: WatchedConnection
    created: bool
    found_version: int
    migration_backup: Path | None
    moved_aside: Path | None
    problem: str | None
    backup: Path | None
    backup_problem: str | None
    kept_sessions: int = 0  # read from the file moved aside into the fresh one


def open_history(
    path: Path,
    backup_dir: Path | None,
    now: Callable[[], datetime],
    *,
    damaged: str | None = None,
    daily_backup: bool = True,
) -> Opened:
    """Open ``path`` for the store, moving an unreadable file aside once.

    ``damaged`` (the problem) says the file was found damaged while in use:
    it is moved aside without another check.  Whatever can still be read
    from a file moved aside is kept in the fresh one.

    A full check of every page costs ~0.4 s at ten years of history, so it
    runs once a day: the daily backup checks its copy (a page-for-page copy
    fails where the original is damaged) and only then is the original
    checked itself.  Without a backup folder the original is checked on
    every open.  With ``daily_backup`` False the caller takes today's backup
    itself, later (the app does it off the GUI thread after its first paint,
    with :func:`si_timer.history.backup.daily_backup_of`).
    """
    ensure_private_dir_or_fail(path)
    if path.exists() and not path.is_file():
        raise HistoryUnavailableError(path, "something that is not a file is in the way")
    moved: Path | None = None
    problem: str | None = None
    if damaged is not None:
        moved = _move_aside(path, damaged, now)
        problem = damaged
    for attempt in (1, 2):
        if attempt == 1 and moved is not None:
            continue
        try:
            conn, created, found, taken = _connect(
                path, backup_dir, now, full_check=backup_dir is None
            )
            made: Path | None = None
            backup_problem: str | None = None
            # A new file holds nothing worth a backup yet (and must not push a
            # good older backup out of the seven kept).
            if backup_dir is not None and not created and daily_backup:
                made, backup_problem = _daily_backup_at_open(conn, backup_dir, now)
            kept = keep_readable_parts(conn, moved) if moved is not None else 0
            return Opened(conn, created, found, taken, moved, problem, made, backup_problem, kept)
        except Unreadable as bad:
            if attempt == 2:  # a brand-new file cannot be unreadable
                raise HistoryUnavailableError(path, bad.reason) from bad
            problem = bad.reason
            moved = _move_aside(path, problem, now)
    raise AssertionError("unreachable")


def _move_aside(path: Path, problem: str, now: Callable[[], datetime]) -> Path:
    try:
        moved = move_aside(path, now())
    except OSError as error:
        raise HistoryUnavailableError(
            path, f"it is unreadable ({problem}) and cannot be moved aside ({error})"
        ) from error
    log.warning("history file %s unreadable (%s); moved to %s", path, problem, moved)
    return moved


def _daily_backup_at_open(
    conn: sqlite3.Connection, backup_dir: Path, now: Callable[[], datetime]
) -> tuple[Path | None, str | None]:
    try:
        return backup.daily_backup(conn, backup_dir, now()), None
    except backup.BackupError as error:
        if error.damaged:
            verdict = quick_check(conn)
            if verdict != "ok":
                conn.close()
                raise Unreadable(f"the database is damaged: {verdict}") from error
        log.warning("daily history backup failed: %s", error)
        return None, str(error)


def ensure_private_dir_or_fail(path: Path) -> None:
    try:
        ensure_private_dir(path.parent)
    except OSError as error:
        raise HistoryUnavailableError(
            path, f"the folder cannot be created ({error.strerror or error})"
        ) from error
