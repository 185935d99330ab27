"""Daily backups: one a day, the newest seven kept, private, whole or absent."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
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


def _history_on_disk(tmp_path: Path) -> Path:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn)
    conn.execute("INSERT INTO day_marks VALUES ('2025-03-01', 'rest', '2025-03-01T00:00:00+00:00')")
    conn.close()
    return path


def test_the_daily_backup_of_a_file_uses_its_own_connection(tmp_path: Path) -> None:
    path = _history_on_disk(tmp_path)
    writer = sqlite3.connect(path, isolation_level=None)  # the app, writing meanwhile
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO day_marks VALUES ('2025-03-02', 'sick', '2025-03-02T00:00:00+00:00')"
    )
    now = datetime(2025, 3, 14, 6, 0, tzinfo=UTC)
    made = backup.daily_backup_of(path, tmp_path / "backups", now)
    writer.execute("COMMIT")
    assert made == tmp_path / "backups" / backup.daily_name(now)
    copy = sqlite3.connect(made)
    # What was committed when it was taken; the open write is not in it.
    assert copy.execute("SELECT day FROM day_marks").fetchall() == [("2025-03-01",)]
    assert backup.daily_backup_of(path, tmp_path / "backups", now) is None  # once a day


def test_a_damaged_file_fails_its_daily_backup_as_damaged(tmp_path: Path) -> None:
    from tests.history.test_damage import damage_index

    path = _history_on_disk(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the index's pages are in the file
    conn.close()
    damage_index(path, "sessions_by_day_done")
    with pytest.raises(backup.BackupError) as failed:
        backup.daily_backup_of(path, tmp_path / "backups", datetime(2025, 3, 14, tzinfo=UTC))
    assert failed.value.damaged
    assert not list((tmp_path / "backups").glob("*.sqlite3"))


_BACKUP_PEAK = """
import sys, threading
from datetime import UTC, datetime
from pathlib import Path
from si_timer.history import backup

def peak_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

before = peak_kib()
work = threading.Thread(  # as the app takes it: on a worker thread
    target=backup.daily_backup_of, args=(Path(sys.argv[1]), Path(sys.argv[2]), datetime.now(UTC))
)
work.start()
work.join()
print(peak_kib() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM")
def test_a_daily_backup_of_a_large_history_keeps_its_page_caches_small(tmp_path: Path) -> None:
    """Ten years of history are ~30 MB; copying and checking it through SQLite's
    default caches (2 MiB for each of two connections) left ~5 MiB resident in the
    app after the day's first start.  A fresh interpreter, for its own peak."""
    big = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(big)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
    conn.execute("CREATE INDEX t_body ON t (body)")  # a check walks the index too
    conn.executemany("INSERT INTO t (body) VALUES (?)", ((os.urandom(900),) for _ in range(16_000)))
    conn.commit()
    conn.close()
    assert big.stat().st_size > 25_000_000
    done = subprocess.run(
        [sys.executable, "-c", _BACKUP_PEAK, str(big), str(tmp_path / "backups")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "backups").iterdir())) == 1
    assert int(done.stdout) < 2560, "KiB of peak RSS added"
