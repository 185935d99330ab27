"""Progress of exports and imports: bounded, monotonic, complete, and able to cancel."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from si_timer.history.exchange import (
    ExportFormat,
    export_history,
    export_to_path,
    import_history,
)
from si_timer.history.progress import STEPS, Cancelled, counted, stage
from si_timer.history.store import HistoryStore
from tests.helpers.clocks import Clock
from tests.helpers.history_factories import fill_history

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


class Recorder:
    """A progress callback that keeps every report, and can cancel at a point."""

    def __init__(self, cancel_at: int | None = None) -> None:
        self.calls: list[tuple[int, int]] = []
        self.cancel_at = cancel_at

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))
        if self.cancel_at is not None and done >= self.cancel_at:
            raise Cancelled

    def check(self, total: int) -> None:
        """Bounded, never going back, from 0 to the whole."""
        assert self.calls[0] == (0, total)
        assert self.calls[-1] == (total, total)
        done = [d for d, _ in self.calls]
        assert done == sorted(done)
        assert all(t == total for _, t in self.calls)
        assert len(self.calls) <= 2 * STEPS + 2


@pytest.fixture
def filled(store: HistoryStore) -> HistoryStore:
    """About 270 sessions: enough that reporting is thinned out."""
    fill_history(store, date(2025, 1, 1), date(2025, 3, 31), seed=5)
    return store


def test_counted_reports_each_percent_and_yields_everything() -> None:
    progress = Recorder()
    assert list(counted(range(10_000), 10_000, progress)) == list(range(10_000))
    progress.check(10_000)
    assert len(progress.calls) == STEPS + 1
    small = Recorder()
    assert list(counted("abc", 3, small)) == ["a", "b", "c"]
    assert small.calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert list(counted(range(3), 3, None)) == [0, 1, 2]


def test_counted_reports_after_an_item_is_dealt_with() -> None:
    progress = Recorder()
    items = counted(["a", "b"], 2, progress)
    assert next(items) == "a"
    assert progress.calls == [(0, 2)]
    assert next(items) == "b"
    assert progress.calls == [(0, 2), (1, 2)]
    assert list(items) == []
    assert progress.calls[-1] == (2, 2)


def test_stage_places_a_pass_inside_the_whole() -> None:
    progress = Recorder()
    second = stage(progress, 1, 2)
    assert second is not None
    second(30, 100)
    assert progress.calls == [(130, 200)]
    assert stage(None, 0, 2) is None


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_with_progress_writes_the_same(filled: HistoryStore, fmt: ExportFormat) -> None:
    plain = io.StringIO(newline="")
    reported = io.StringIO(newline="")
    count = export_history(filled, fmt, plain, now=NOW)
    progress = Recorder()
    assert export_history(filled, fmt, reported, now=NOW, progress=progress) == count
    assert reported.getvalue() == plain.getvalue()
    # A backup carries every session; the readable exports only those a person
    # would call one (a session with nothing done is not listed).
    listed = filled.session_count() if fmt is ExportFormat.JSON else len(filled.session_summaries())
    assert count == listed > 2 * STEPS
    progress.check(count)


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_a_cancelled_export_leaves_no_file(
    filled: HistoryStore, tmp_path: Path, fmt: ExportFormat
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(Cancelled):
        export_to_path(filled, fmt, folder / f"out.{fmt.value}", progress=Recorder(cancel_at=100))
    assert list(folder.iterdir()) == []


def test_import_reports_reading_then_merging(
    filled: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    backup = tmp_path / "backup.json"
    count = export_to_path(filled, ExportFormat.JSON, backup)
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    with other:
        progress = Recorder()
        result = import_history(other, backup, progress=progress)
        assert result.sessions_added == count
        progress.check(2 * count)
        assert (count, 2 * count) in progress.calls  # read all, merged none yet


def test_import_of_a_daily_backup_reports_too(
    filled: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    copy = tmp_path / "daily.sqlite3"
    with closing(sqlite3.connect(filled.path)) as source, closing(sqlite3.connect(copy)) as target:
        source.backup(target)  # what the daily backup does: the WAL's rows included
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    with other:
        progress = Recorder()
        assert import_history(other, copy, progress=progress).sessions_added == len(
            list(filled.iter_stored_sessions())
        )
        progress.check(2 * filled.session_count())


@pytest.mark.parametrize("stage_fraction", [0.25, 0.75, 1.0])
def test_a_cancelled_import_changes_nothing(
    filled: HistoryStore, tmp_path: Path, clock: Clock, stage_fraction: float
) -> None:
    """Cancelled while reading, while merging, or at the very last session merged."""
    backup = tmp_path / "backup.json"
    count = export_to_path(filled, ExportFormat.JSON, backup)
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    with other:
        announced: list[None] = []
        other.subscribe(lambda _change: announced.append(None))
        with pytest.raises(Cancelled):
            import_history(other, backup, progress=Recorder(round(2 * count * stage_fraction)))
        assert other.session_count() == 0
        assert announced == []
        # And the store still works: the next import takes everything.
        assert import_history(other, backup).sessions_added == count
