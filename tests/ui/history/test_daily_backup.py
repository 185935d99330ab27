"""Today's backup is taken off the GUI thread once the history is open, and acted on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.history import backup
from si_timer.history.store import HistoryStore
from si_timer.ui.history.access import HistoryAccess
from si_timer.ui.notices import NoticeBoard
from tests.helpers.history_factories import fill_history
from tests.history.test_damage import damage_index


def _used_history(tmp_path: Path) -> AppPaths:
    """A history with sessions in it, last backed up on an earlier day."""
    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    store, _ = HistoryStore.open(paths.database_file, backup_dir=paths.backup_dir)
    with store:
        today = datetime.now(UTC).date()
        fill_history(store, today - timedelta(days=30), today - timedelta(days=1))
    return paths


def _open(qtbot: QtBot, paths: AppPaths) -> tuple[HistoryAccess, NoticeBoard]:
    window = QWidget()
    qtbot.addWidget(window)
    notices = NoticeBoard()
    access = HistoryAccess(paths, window, notices, busy=lambda: False)
    with qtbot.waitSignal(access.opened):
        access.recorder  # noqa: B018 - opens it
    return access, notices


def test_the_days_backup_is_taken_after_opening(qtbot: QtBot, tmp_path: Path) -> None:
    paths = _used_history(tmp_path)
    access, notices = _open(qtbot, paths)
    assert access.daily_backup is not None
    with qtbot.waitSignal(access.daily_backup.finished, timeout=20_000) as done:
        pass
    made, problem, damaged = done.args
    assert made == paths.backup_dir / backup.daily_name(datetime.now(UTC))
    assert Path(made).is_file()
    assert (problem, damaged) == ("", False)
    assert notices.notices() == ()
    access.close()


def test_a_damaged_history_found_by_the_backup_is_replaced_and_told(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = _used_history(tmp_path)
    damage_index(paths.database_file, "sessions_by_day_done")
    access, notices = _open(qtbot, paths)
    assert access.daily_backup is not None
    qtbot.waitUntil(lambda: bool(notices.notices()), timeout=20_000)
    (notice,) = notices.notices()
    assert "moved to" in notice.text or "moved to" in (notice.detail or "")
    moved = [p for p in paths.data_dir.iterdir() if p.name.startswith("history") and p.is_file()]
    assert len(moved) > 1  # the damaged file kept beside the fresh one
    store = access.recorder.store
    assert store is not None
    assert store.session_count() > 0  # what could be read was kept
    access.close()
