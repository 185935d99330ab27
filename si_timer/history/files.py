"""The history files on disk: owner-only permissions, and moving a bad file aside.

History is health data: every file we create is 0600 and every folder 0700 on
POSIX (SQLite gives its -wal and -shm files the database file's mode).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from si_timer.config.paths import FILE_MODE, ensure_dir

# The files SQLite keeps beside a database; they belong to it when it moves.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")

# The writes still owed to the history (:mod:`si_timer.history.journal`), beside it.
JOURNAL_NAME = "history.journal"

_POSIX = os.name == "posix"


def journal_path(database: Path) -> Path:
    """Where the journal of the history at ``database`` lives: in the same folder."""
    return database.with_name(JOURNAL_NAME)


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) if needed, 0700; an existing folder is left as is."""
    ensure_dir(folder)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the owner only (no-op if it exists)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
    os.close(fd)
    secure_file(path)


def secure_file(path: Path) -> None:
    """Tighten an existing file to 0600 (a file from an older install may be 0644)."""
    if _POSIX and path.exists() and (path.stat().st_mode & 0o777) != FILE_MODE:
        path.chmod(FILE_MODE)


def stamp(moment: datetime) -> str:
    """A file-name-safe UTC timestamp, e.g. ``20250314T071500Z``."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def move_aside(path: Path, moment: datetime) -> Path:
    """Rename a damaged database (and its companion files) out of the way.

    Returns the new path of the database file, e.g.
    ``history.sqlite3.unreadable-20250314T071500Z``.  Nothing is deleted.
    """
    base = path.with_name(f"{path.name}.unreadable-{stamp(moment)}")
    target = base
    counter = 1
    while target.exists() or any(
        target.with_name(target.name + s).exists() for s in COMPANION_SUFFIXES
    ):
        counter += 1
        target = base.with_name(f"{base.name}-{counter}")
    os.replace(path, target)
    secure_file(target)  # kept for a rescue, still health data: an old file may be 0644
    for suffix in COMPANION_SUFFIXES:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            moved = target.with_name(target.name + suffix)
            os.replace(companion, moved)
            secure_file(moved)
    return target
