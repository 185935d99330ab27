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


def test_a_session_ended_on_a_new_day_backs_up_off_the_gui_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The app stayed open overnight: the first session of the new day takes that day's
    backup on a worker, never in the store's finishing write on the GUI thread."""
    from si_timer.history.changes import HistoryChange

    paths = _used_history(tmp_path)
    access, _ = _open(qtbot, paths)
    first = access.daily_backup
    assert first is not None
    with qtbot.waitSignal(first.finished, timeout=20_000):
        pass
    store = access.recorder.store
    assert store is not None
    assert not store.backs_up_daily, "the store leaves daily backups to the app"
    today = paths.backup_dir / backup.daily_name(datetime.now(UTC))
    today.unlink()  # as if the backup above was yesterday's
    access._backed_up_day = "history-2000-01-01.sqlite3"
    notifier = access.notifier
    assert notifier is not None
    notifier.history_changed.emit(HistoryChange(sessions=True))
    again = access.daily_backup
    assert again is not None
    assert again is not first
    with qtbot.waitSignal(again.finished, timeout=20_000) as done:
        pass
    assert done.args[0] == today
    assert today.is_file()
    # The same day again: nothing more is started.
    notifier.history_changed.emit(HistoryChange(sessions=True))
    assert access.daily_backup is again
    access.close()
