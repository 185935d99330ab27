"""Moving a bad database aside, with its companions, never over another file."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

from si_timer.history.files import create_private_file, ensure_private_dir, move_aside

MOMENT = datetime(2025, 3, 14, 6, 30, 5, tzinfo=UTC)


def test_move_aside_takes_the_wal_and_shm_along(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    for name, text in (("", "db"), ("-wal", "wal"), ("-shm", "shm")):
        (tmp_path / f"history.sqlite3{name}").write_text(text)
    moved = move_aside(db, MOMENT)
    assert moved.name == "history.sqlite3.unreadable-20250314T063005Z"
    assert moved.read_text() == "db"
    assert moved.with_name(moved.name + "-wal").read_text() == "wal"
    assert moved.with_name(moved.name + "-shm").read_text() == "shm"
    assert not any(tmp_path.glob("history.sqlite3-*"))
    assert not db.exists()


def test_move_aside_twice_in_a_second_keeps_both(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_text("first")
    first = move_aside(db, MOMENT)
    db.write_text("second")
    second = move_aside(db, MOMENT)
    assert first != second
    assert (first.read_text(), second.read_text()) == ("first", "second")


def test_private_file_and_folder_modes(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    ensure_private_dir(folder)
    create_private_file(folder / "f")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "f").stat().st_mode) == 0o600


def test_files_moved_aside_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    for name in ("", "-wal"):
        path = tmp_path / f"history.sqlite3{name}"
        path.write_text("x")
        path.chmod(0o644)
    moved = move_aside(db, MOMENT)
    assert stat.S_IMODE(moved.stat().st_mode) == 0o600
    assert stat.S_IMODE(moved.with_name(moved.name + "-wal").stat().st_mode) == 0o600
