"""Daily backups: one a day, the newest seven kept, private, whole or absent."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history import backup
from si_timer.history.migrations import migrate


@pytest.fixture
def source() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    conn.execute("INSERT INTO day_marks VALUES ('2025-03-01', 'rest', '2025-03-01T00:00:00+00:00')")
    return conn


def test_one_backup_a_day_and_seven_kept(source: sqlite3.Connection, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    made = []
    for day in range(10):
        moment = start + timedelta(days=day)
        made.append(backup.daily_backup(source, folder, moment))
        assert backup.daily_backup(source, folder, moment + timedelta(hours=3)) is None
    assert all(p is not None for p in made)
    kept = backup.daily_backups(folder)
    assert [p.name for p in kept] == [f"history-2025-03-{d:02d}.sqlite3" for d in range(10, 3, -1)]
    assert len(kept) == backup.DAILY_KEEP


def test_a_backup_is_a_private_self_contained_copy(
    source: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    path = backup.daily_backup(source, folder, datetime(2025, 3, 1, tzinfo=UTC))
    assert path is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == [path.name]  # no -wal, no .partial
    copy = sqlite3.connect(path)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert copy.execute("SELECT mark FROM day_marks").fetchall() == [("rest",)]
    copy.close()


def test_other_files_in_the_folder_are_left_alone(
    source: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    keep = folder / "before-upgrade-v1-history-20240101T000000Z.sqlite3"
    keep.write_bytes(b"x")
    note = folder / "my-notes.txt"
    note.write_text("mine")
    for day in range(9):
        backup.daily_backup(source, folder, datetime(2025, 3, 1 + day, tzinfo=UTC))
    assert keep.exists()
    assert note.exists()


def test_a_failed_copy_leaves_nothing_behind(source: sqlite3.Connection, tmp_path: Path) -> None:
    blocker = tmp_path / "backups"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(backup.BackupError, match=r"could not write"):
        backup.copy_database(source, blocker / "history-2025-03-01.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups"]


def test_a_week_with_the_clock_in_the_future_never_costs_a_correct_backup(
    source: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    today = datetime.now(UTC).replace(microsecond=0)

    def written(moment: datetime) -> Path:
        path = backup.daily_backup(source, folder, moment)
        assert path is not None
        os.utime(path, (moment.timestamp(), moment.timestamp()))  # as the OS clock said
        return path

    # For the week before today the clock ran a year ahead.
    for day in range(7):
        written(today + timedelta(days=365 + day))
    correct = [written(today + timedelta(days=day)) for day in range(8)]
    assert [p.exists() for p in correct] == [False] + [True] * 7
    kept = backup.daily_backups(folder, today + timedelta(days=7))
    assert kept == correct[::-1][: backup.DAILY_KEEP]
