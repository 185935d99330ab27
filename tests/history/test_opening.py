"""Opening never makes things worse: newer files refused untouched, bad files moved aside."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from si_timer.history.errors import NewerDatabaseError
from si_timer.history.migrations import LATEST_VERSION
from si_timer.history.store import HistoryStore
from tests.helpers.clocks import Clock
from tests.helpers.history_factories import fill_history

PAGE = 4096


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def history_with_sessions(db_path: Path, clock: Clock, days: int = 40) -> int:
    store, _ = HistoryStore.open(db_path, now=clock.now)
    with store:
        count = fill_history(store, date(2025, 1, 1), date(2025, 1, 1) + timedelta(days=days))
    return count


def damage_pages(path: Path) -> None:
    """Overwrite the b-tree page headers of the second half of the file."""
    size = path.stat().st_size
    assert size % PAGE == 0
    pages = size // PAGE
    with path.open("r+b") as handle:
        for page in range(pages // 2, pages):
            handle.seek(page * PAGE)
            handle.write(b"\xff" * 32)


def test_a_garbage_file_is_moved_aside_and_a_fresh_history_started(
    db_path: Path, clock: Clock
) -> None:
    db_path.parent.mkdir(parents=True)
    junk = b"this is not a database, it is a shopping list\n" * 200
    db_path.write_bytes(junk)
    store, report = HistoryStore.open(db_path, backup_dir=db_path.parent / "backups", now=clock.now)
    with store:
        assert report.moved_aside == db_path.with_name(
            "history.sqlite3.unreadable-20250314T060000Z"
        )
        assert report.moved_aside.read_bytes() == junk  # kept as it was
        assert report.created
        assert store.session_count() == 0
        assert report.problem is not None
        assert "not a database" in report.problem
        (message,) = report.messages()
        assert str(report.moved_aside) in message
        assert str(db_path.parent / "backups") in message
        assert store.streaks(date(2025, 3, 14)).current == 0


def test_damaged_pages_are_found_when_opened_without_backups(db_path: Path, clock: Clock) -> None:
    history_with_sessions(db_path, clock)
    damage_pages(db_path)
    before = digest(db_path)
    store, report = HistoryStore.open(db_path, now=clock.now)
    with store:
        assert report.moved_aside is not None
        assert digest(report.moved_aside) == before
        assert store.session_count() == 0


def test_damaged_pages_are_found_by_the_first_open_of_the_day(db_path: Path, clock: Clock) -> None:
    backups = db_path.parent / "backups"
    sessions = history_with_sessions(db_path, clock)
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    store.close()
    assert report.backup is not None
    assert report.moved_aside is None
    good_backup = report.backup
    damage_pages(db_path)
    clock.advance(days=1)
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    with store:
        assert report.moved_aside is not None
        assert "damaged" in (report.problem or "")
        assert store.session_count() == 0
    # The damaged copy was not kept as a backup; yesterday's good one is intact.
    assert [p.name for p in backups.iterdir()] == [good_backup.name]
    check = sqlite3.connect(good_backup)
    assert check.execute("SELECT COUNT(*) FROM sessions").fetchone() == (sessions,)
    check.close()


def test_a_foreign_sqlite_file_is_moved_aside(db_path: Path, clock: Clock) -> None:
    db_path.parent.mkdir(parents=True)
    other = sqlite3.connect(db_path)
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.execute("INSERT INTO recipes VALUES ('soup')")
    other.commit()
    other.close()
    store, report = HistoryStore.open(db_path, now=clock.now)
    with store:
        assert report.moved_aside is not None
        assert "not a si-timer history" in (report.problem or "")
    moved = sqlite3.connect(report.moved_aside)
    assert moved.execute("SELECT name FROM recipes").fetchall() == [("soup",)]
    moved.close()


def test_a_database_from_a_newer_version_is_refused_and_untouched(
    db_path: Path, clock: Clock
) -> None:
    history_with_sessions(db_path, clock, days=3)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = DELETE")  # one plain file to compare
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    db_path.chmod(0o640)
    before, files = digest(db_path), listing(db_path.parent)
    backups = db_path.parent / "backups"
    with pytest.raises(NewerDatabaseError) as info:
        HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    message = str(info.value)
    assert str(db_path) in message
    assert "newer version" in message
    assert f"format {LATEST_VERSION + 1}" in message
    assert "has not been changed" in message
    assert digest(db_path) == before
    assert listing(db_path.parent) == files  # nothing moved, no backup made
    assert db_path.stat().st_mode & 0o777 == 0o640  # not even its mode


def test_an_empty_file_becomes_a_new_history(db_path: Path, clock: Clock) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    store, report = HistoryStore.open(db_path, now=clock.now)
    with store:
        assert report.created
        assert report.moved_aside is None


def test_the_daily_backup_is_made_on_the_first_open_of_a_day(db_path: Path, clock: Clock) -> None:
    backups = db_path.parent / "backups"
    history_with_sessions(db_path, clock, days=2)
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    store.close()
    assert report.backup == backups / "history-2025-03-14.sqlite3"
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    store.close()
    assert report.backup is None  # one a day
    clock.moment = datetime(2025, 3, 15, 0, 5, tzinfo=UTC)
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    store.close()
    assert report.backup == backups / "history-2025-03-15.sqlite3"
