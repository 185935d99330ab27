"""Copies of the history database made with SQLite's online backup API.

One automatic backup a day (named by its UTC date), the newest seven kept;
"newest" by when each file was written, never by its name: a week with the
clock in the future leaves names (and times) from the future behind, and those
must not push out the correct backups written after the clock was put right.
one more before each schema migration, kept until the person deletes it.
Each copy is written under a temporary name, checked with ``quick_check`` and
only then renamed into place, so a backup file is either whole or absent.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

from si_timer.history.files import create_private_file, ensure_private_dir, stamp

DAILY_KEEP = 7
_DAILY = re.compile(r"^history-(\d{4}-\d{2}-\d{2})\.sqlite3$")


class BackupError(Exception):
    """A backup could not be written or did not check out.

    ``damaged`` is True when the copy was written but failed SQLite's check:
    the copy is page for page, so the original is suspect too.
    """

    def __init__(self, message: str, *, damaged: bool = False) -> None:
        super().__init__(message)
        self.damaged = damaged


def daily_name(moment: datetime) -> str:
    return f"history-{moment.astimezone(UTC).date().isoformat()}.sqlite3"


def daily_backups(backup_dir: Path, now: datetime | None = None) -> list[Path]:
    """The automatic daily backups, newest first by the time each was written.

    A file written "after" ``now`` was written while the clock was wrong: it
    ranks after every other (each backup is a full copy, so a correct newer
    one holds everything it did).
    """
    if not backup_dir.is_dir():
        return []
    limit = (now or datetime.now(UTC)).timestamp()
    found: list[tuple[bool, float, str, Path]] = []
    for path in backup_dir.iterdir():
        if not _DAILY.match(path.name):
            continue
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            written = info.st_mtime
            found.append((written <= limit, written, path.name, path))
    return [entry[3] for entry in sorted(found, reverse=True)]


# A copy reads (and its check reads again) every page once, in order: a page
# cache does not speed that up, and SQLite's default (2 MiB a connection, two
# connections) would stay resident in the app after a daily backup.
COPY_CACHE_KIB = 256


def limit_cache(conn: sqlite3.Connection) -> None:
    """Keep ``conn``'s page cache to :data:`COPY_CACHE_KIB` (it is only copying)."""
    conn.execute(f"PRAGMA cache_size = -{COPY_CACHE_KIB}")


def copy_database(source: sqlite3.Connection, dest: Path) -> Path:
    """Copy ``source`` to ``dest`` (0600, self-contained, verified); atomic."""
    partial = dest.with_name(dest.name + ".partial")
    try:
        ensure_private_dir(dest.parent)
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        create_private_file(partial)
        target = sqlite3.connect(partial, isolation_level=None)
        try:
            limit_cache(target)
            source.backup(target)
            # The copy inherits WAL mode from the header; one plain file is
            # easier to keep, move and open later.
            target.execute("PRAGMA journal_mode = DELETE")
            (verdict,) = target.execute("PRAGMA quick_check").fetchone()
        finally:
            target.close()
        if verdict != "ok":
            raise BackupError(f"the copy failed its check: {verdict}", damaged=True)
        os.replace(partial, dest)
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            partial.unlink()
        damaged = (getattr(error, "sqlite_errorname", "") or "").startswith(
            ("SQLITE_CORRUPT", "SQLITE_NOTADB")
        )
        raise BackupError(f"could not write {dest}: {error}", damaged=damaged) from error
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return dest


def daily_backup(source: sqlite3.Connection, backup_dir: Path, now: datetime) -> Path | None:
    """Make today's backup unless it exists; drop all but the newest seven.

    Returns the new backup's path, or None when today's already existed.
    """
    dest = backup_dir / daily_name(now)
    if dest.exists():
        return None
    copy_database(source, dest)
    # The copy just made is the newest, whatever the clock said before.
    others = [p for p in daily_backups(backup_dir, now) if p != dest]
    for old in others[DAILY_KEEP - 1 :]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
    return dest


def migration_backup(
    source: sqlite3.Connection, backup_dir: Path, from_version: int, now: datetime
) -> Path:
    """A copy taken before the schema moves on from ``from_version``."""
    dest = backup_dir / f"before-upgrade-v{from_version}-history-{stamp(now)}.sqlite3"
    return copy_database(source, dest)


def daily_backup_of(path: Path, backup_dir: Path, now: datetime) -> Path | None:
    """:func:`daily_backup` of the database at ``path`` through a connection of its
    own, so it can run on a worker thread while the app writes (WAL: a reader never
    holds a writer up).  Returns the new backup's path, or None when today's existed.

    A copy that fails its check makes the original suspect: it is checked in turn,
    and :class:`BackupError` says ``damaged`` only when the original fails too.
    """
    if (backup_dir / daily_name(now)).exists():
        return None
    try:
        source = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    except sqlite3.Error as error:
        raise BackupError(f"could not read {path}: {error}") from error
    try:
        try:
            limit_cache(source)
            return daily_backup(source, backup_dir, now)
        except BackupError as error:
            if not error.damaged:
                raise
            try:
                (verdict,) = source.execute("PRAGMA quick_check").fetchone()
            except sqlite3.DatabaseError as check:
                verdict = str(check)
            if verdict == "ok":
                raise BackupError(str(error)) from error  # the copy, not the original
            raise BackupError(f"the database is damaged: {verdict}", damaged=True) from error
    finally:
        source.close()
