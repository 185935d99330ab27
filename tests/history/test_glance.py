"""The look at the history taken before the first countdown: what the store would say,
or None whenever only opening the store can tell."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from si_timer.history.files import journal_path
from si_timer.history.glance import SCHEMA_VERSION, Glance, glance
from si_timer.history.migrations import LATEST_VERSION
from si_timer.history.model import SessionStatus
from si_timer.history.store import HistoryStore
from tests.helpers.history_factories import make_plan, play_segments

START = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)


def _history(path: Path) -> tuple[dict[str, int], int]:
    """Two finished sessions and one cut off; the store's own answers."""
    store, _ = HistoryStore.open(path, daily_backup=False)
    rng = random.Random(4)
    for day, routine, stop in ((0, "morning", None), (1, "strength", None), (2, "morning", 3)):
        plan = make_plan(routine)
        started = START + timedelta(days=day)
        sid = store.begin_session(routine, plan, started_at=started, utc_offset_minutes=60)
        records = play_segments(plan, started, rng, stop_after=stop)
        for record in records:
            store.record_segment(sid, record)
        if stop is None:
            store.finish_session(sid, SessionStatus.COMPLETED, ended_at=records[-1].ended_at)
    store.close()
    store, _ = HistoryStore.open(path, daily_backup=False)
    with store:
        return store.exercise_counts(), len(store.interrupted_sessions())


def test_it_reads_what_the_store_reads(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    counts, interrupted = _history(path)
    assert interrupted == 1
    assert counts  # something to compare
    assert glance(path) == Glance(interrupted, counts)


def test_no_history_yet_is_nothing_to_resume(tmp_path: Path) -> None:
    assert glance(tmp_path / "history.sqlite3") == Glance(0, {})
    assert not (tmp_path / "history.sqlite3").exists()  # a look creates nothing


def test_it_changes_nothing_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _history(path)
    before = path.read_bytes()
    assert glance(path) is not None
    assert path.read_bytes() == before


def test_owed_writes_leave_it_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _history(path)
    journal_path(path).write_text("")
    assert glance(path) is None
    journal_path(path).unlink()
    assert glance(path) is not None


def test_another_schema_version_leaves_it_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    _history(path)
    for version in (SCHEMA_VERSION - 1, SCHEMA_VERSION + 1):
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.close()
        assert glance(path) is None


def test_a_file_that_is_not_a_history_leaves_it_to_the_store(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database at all, " * 100)
    assert glance(path) is None
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # the version, not the tables
    conn.close()
    assert glance(other) is None


def test_it_is_written_for_the_latest_schema() -> None:
    """A new migration must look at the glance's queries again, then move this."""
    assert SCHEMA_VERSION == LATEST_VERSION
