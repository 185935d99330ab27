"""Progress of exports and imports: bounded, monotonic, complete, and able to cancel."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from si_timer.history.exchange import (
    IMPORT_PHASES,
    ExportFormat,
    export_history,
    export_to_path,
    import_history,
)
from si_timer.history.progress import STEPS, Cancelled, Phases, counted, part, stage
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
        assert len(self.calls) <= 3 * STEPS + 2


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


def test_part_places_a_pass_inside_a_stretch() -> None:
    progress = Recorder()
    middle = part(progress, 20, 60)
    assert middle is not None
    middle(0, 10)
    middle(5, 10)
    middle(10, 10)
    assert progress.calls == [(20, 100), (40, 100), (60, 100)]
    assert part(None, 0, 1) is None


def test_phases_go_forward_and_are_full_only_when_finished() -> None:
    progress = Recorder()
    phases = Phases(progress, {"a": 1, "b": 2, "c": 1})
    phases.reached("a")
    a = phases.phase("a")
    assert a is not None
    a(1, 1)  # a's end is b's start: no new report, but reaching b is one
    phases.reached("b")
    b = phases.phase("b")
    assert b is not None
    b(1, 2)
    b(0, 2)  # never back
    b(2, 2)
    c = phases.phase("c")
    assert c is not None
    c(1, 1)  # the last phase's end is not the whole
    assert progress.calls == [
        (0, 1000),
        (250, 1000),
        (250, 1000),
        (500, 1000),
        (750, 1000),
        (999, 1000),
    ]
    phases.finish()
    assert progress.calls[-1] == (1000, 1000)
    cancelling = Phases(Recorder(cancel_at=0), {"a": 1})
    with pytest.raises(Cancelled):
        cancelling.reached("a")
    cancelling.finish()  # too late to cancel: done is done
    assert Phases(None, {"a": 1}).phase("a") is None


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


def _phase_range(name: str) -> tuple[int, int]:
    """Where phase ``name`` of an import lies in the reports' whole."""
    weights = list(IMPORT_PHASES.values())
    before = sum(weights[: list(IMPORT_PHASES).index(name)])
    low = before * Phases.WHOLE // sum(weights)
    return low, (before + IMPORT_PHASES[name]) * Phases.WHOLE // sum(weights)


def test_import_reports_every_phase_and_is_full_only_once_committed(
    filled: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    backup = tmp_path / "backup.json"
    count = export_to_path(filled, ExportFormat.JSON, backup)
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    seen: list[int] = []  # sessions another connection sees committed, at each report
    with other, closing(sqlite3.connect(other.path)) as watcher:
        progress = Recorder()

        def watching(done: int, total: int) -> None:
            progress(done, total)
            seen.append(watcher.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])

        result = import_history(other, backup, progress=watching)
        assert result.sessions_added == count
    progress.check(Phases.WHOLE)
    # Full once, at the very end, when the import is there for everyone to read.
    assert [d for d, _ in progress.calls].count(Phases.WHOLE) == 1
    assert seen[-1] == count
    assert set(seen[:-1]) == {0}
    # Every phase is reported, the row writing several times (each a point to cancel).
    for name in IMPORT_PHASES:
        low, high = _phase_range(name)
        inside = [d for d, _ in progress.calls if low <= d <= high]
        assert inside, name
    low, high = _phase_range("write")
    assert len({d for d, _ in progress.calls if low < d < high}) >= 3


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
        progress.check(Phases.WHOLE)


def _unchanged_after_cancel(other: HistoryStore, backup: Path, cancel_at: int) -> None:
    announced: list[None] = []
    other.subscribe(lambda _change: announced.append(None))
    progress = Recorder(cancel_at)
    with pytest.raises(Cancelled):
        import_history(other, backup, progress=progress)
    assert progress.calls[-1][0] >= cancel_at  # it did get that far
    with closing(sqlite3.connect(other.path)) as conn:
        for table in ("sessions", "segments", "session_exercises", "plans", "exercise_names"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
    assert announced == []


@pytest.mark.parametrize("name", [n for n in IMPORT_PHASES if n != "commit"])
def test_an_import_cancelled_in_any_phase_changes_nothing(
    filled: HistoryStore, tmp_path: Path, clock: Clock, name: str
) -> None:
    backup = tmp_path / "backup.json"
    count = export_to_path(filled, ExportFormat.JSON, backup)
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    with other:
        low, high = _phase_range(name)
        _unchanged_after_cancel(other, backup, (low + high) // 2 if name == "write" else low)
        # And the store still works: the next import takes everything.
        assert import_history(other, backup).sessions_added == count


def test_an_import_cancelled_while_writing_rows_changes_nothing(
    filled: HistoryStore, tmp_path: Path, clock: Clock
) -> None:
    """Cancelled between two slices of segment rows: some are written, then rolled back."""
    backup = tmp_path / "backup.json"
    export_to_path(filled, ExportFormat.JSON, backup)
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    written: list[int] = []
    with other, closing(sqlite3.connect(other.path)) as watcher:
        low, high = _phase_range("write")

        class Watching(Recorder):
            def __call__(self, done: int, total: int) -> None:
                if low < done < high:
                    # The rows so far are in the import's transaction, not yet committed.
                    written.append(
                        other._conn.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
                    )
                    assert watcher.execute("SELECT COUNT(*) FROM segments").fetchone() == (0,)
                super().__call__(done, total)

        with pytest.raises(Cancelled):
            import_history(other, backup, progress=Watching(cancel_at=(low + 2 * high) // 3))
        assert written
        assert written[-1] > 0
        assert other.session_count() == 0
        assert watcher.execute("SELECT COUNT(*) FROM segments").fetchone() == (0,)


@pytest.mark.parametrize("cancel_at", [250, 750, _phase_range("derive")[1]])
def test_a_cancelled_import_changes_nothing(
    filled: HistoryStore, tmp_path: Path, clock: Clock, cancel_at: int
) -> None:
    """Cancelled a quarter of the way, three quarters, or at the last report before commit."""
    backup = tmp_path / "backup.json"
    count = export_to_path(filled, ExportFormat.JSON, backup)
    other, _ = HistoryStore.open(tmp_path / "other" / "history.sqlite3", now=clock.now)
    with other:
        announced: list[None] = []
        other.subscribe(lambda _change: announced.append(None))
        with pytest.raises(Cancelled):
            import_history(other, backup, progress=Recorder(cancel_at))
        assert other.session_count() == 0
        assert announced == []
        # And the store still works: the next import takes everything.
        assert import_history(other, backup).sessions_added == count
