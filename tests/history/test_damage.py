"""Damage found whenever it shows: a damaged page met by any query is handled the
way a failed open check is, the same day, keeping what can still be read."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from si_timer.history.damage import readable_parts
from si_timer.history.files import COMPANION_SUFFIXES
from si_timer.history.store import HistoryStore
from tests.helpers.clocks import Clock
from tests.helpers.history_factories import fill_history
from tests.history.test_opening import PAGE, damage_pages, digest

FIRST = date(2025, 1, 1)


def opened_today(db_path: Path, clock: Clock) -> tuple[HistoryStore, Path]:
    """A history with sessions whose check and backup already ran today."""
    backups = db_path.parent / "backups"
    store, _ = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    with store:
        fill_history(store, FIRST, FIRST + timedelta(days=40))
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    store.close()
    assert report.backup is not None  # checked and copied: later opens today skip it
    return store, backups


def damage_index(db_path: Path, name: str) -> None:
    """Overwrite every page of one index; the tables themselves stay readable."""
    conn = sqlite3.connect(db_path)
    pages = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (name,))]
    conn.close()
    assert pages
    with db_path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * PAGE)
            handle.write(b"\xff" * 64)


def test_damage_met_by_a_later_query_is_moved_aside_at_once(db_path: Path, clock: Clock) -> None:
    _, backups = opened_today(db_path, clock)
    with sqlite3.connect(db_path) as conn:
        wanted = conn.execute("SELECT id FROM sessions ORDER BY started_at, id").fetchall()
    damage_index(db_path, "sessions_by_day_done")  # the calendar's index
    damaged_bytes = digest(db_path)
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    with store:
        assert report.moved_aside is None  # nothing read that index yet
        # The calendar's query meets the damaged index and still gets its answer.
        summaries = store.session_summaries(since=FIRST, until=FIRST + timedelta(days=40))
        assert [(s.id,) for s in summaries] == wanted
        (message,) = store.damage_messages()
        assert store.damage_messages() == []  # told once
        (moved,) = (
            p
            for p in db_path.parent.glob("history.sqlite3.unreadable-*")
            if not p.name.endswith(COMPANION_SUFFIXES)
        )
        assert str(moved) in message
        assert f"{len(wanted)} sessions that could still be read" in message
        assert digest(moved) == damaged_bytes  # kept as it was for a rescue
        # The fresh file takes new writes.
        store.set_day_mark(date(2025, 3, 14), None)
    # Opening again the same day finds a sound history.
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    with store:
        assert report.moved_aside is None
        assert store.session_count() == len(wanted)


def test_damage_met_while_opening_is_in_the_report(db_path: Path, clock: Clock) -> None:
    _, backups = opened_today(db_path, clock)
    damage_index(db_path, "sessions_in_progress")
    store, report = HistoryStore.open(db_path, backup_dir=backups, now=clock.now)
    with store:
        assert report.moved_aside is not None
        assert report.created
        assert "damaged" in (report.problem or "")
        assert report.kept_sessions == store.session_count() > 0
        (message,) = report.messages()
        assert str(report.moved_aside) in message
        assert store.damage_messages() == []  # already told by the report


def test_what_is_kept_from_damaged_pages_is_exactly_what_was_there(
    db_path: Path, clock: Clock
) -> None:
    opened_today(db_path, clock)
    with sqlite3.connect(db_path) as conn:
        before = HistoryStore(conn, db_path, None, clock.now)
        originals = {s.id: s for s in before.iter_stored_sessions()}
    damage_pages(db_path)
    sessions, _ = readable_parts(db_path)
    assert len(sessions) < len(originals)
    assert all(originals[s.id] == s for s in sessions)


def test_damage_found_by_a_check_elsewhere_replaces_the_file_as_a_read_would(
    db_path: Path, clock: Clock
) -> None:
    """Today's backup runs off the GUI thread; what it finds is acted on in the store."""
    _, backups = opened_today(db_path, clock)
    store, report = HistoryStore.open(
        db_path, backup_dir=backups, now=clock.now, daily_backup=False
    )
    with store:
        before = store.session_count()
        assert report.backup is None
        assert store.found_damaged("the database is damaged: a test says so")
        (message,) = store.damage_messages()
        assert "moved to" in message
        assert store.session_count() == before  # everything readable was kept
    # The damaged file is kept, where the message says, for a rescue.
    assert [p for p in db_path.parent.iterdir() if str(p) in message and p != db_path]
