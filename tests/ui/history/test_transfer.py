"""Export and import as one operation: off the GUI thread, with progress, told in signals."""

from __future__ import annotations

import csv
import json
import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from si_timer.config.paths import resolve_paths
from si_timer.history.exchange import IMPORT_PHASES, ExportFormat, export_to_path
from si_timer.history.merge import MergeResult
from si_timer.history.progress import Phases, Progress
from si_timer.history.store import HistoryStore
from si_timer.ui.history import transfer as transfer_module
from si_timer.ui.history.notifier import HistoryNotifier
from si_timer.ui.history.transfer import Direction, HistoryTransfer, export_target
from si_timer.ui.notices import Notice, NoticeLevel
from tests.helpers.history_factories import fill_history, generate_sessions
from tests.helpers.qt_messages import BACKEND_PROBE_WARNINGS

NOW = datetime(2025, 4, 1, 18, 0, tzinfo=UTC)
WAIT_MS = 30_000  # a loaded machine; nothing here sleeps


@pytest.fixture
def store() -> Iterator[HistoryStore]:
    opened, _ = HistoryStore.open(resolve_paths().database_file, now=lambda: NOW)
    with opened:
        fill_history(opened, date(2025, 1, 1), date(2025, 3, 31), seed=11)  # 270 sessions
        yield opened


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def transfer(store: HistoryStore, window: QWidget) -> Iterator[HistoryTransfer]:
    operation = HistoryTransfer(store, window, today=NOW.date)
    yield operation
    operation.cancel()
    assert operation.wait(WAIT_MS / 1000)


def history_of(store: HistoryStore) -> list[object]:
    return [*store.iter_stored_sessions(), *store.mark_records()]


class Gate:
    """Holds a patched core function in the worker until the GUI thread opens it,
    and notes which thread ran it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.opened = threading.Event()
        self.returned = threading.Event()
        self.threads: list[int] = []
        real: Callable[..., Any] = getattr(transfer_module, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            self.threads.append(threading.get_ident())
            try:
                if not self.opened.wait(WAIT_MS / 1000):
                    raise AssertionError("the GUI thread never ran while the work waited")
                return real(*args, **kwargs)
            finally:
                self.returned.set()

        monkeypatch.setattr(transfer_module, name, held)

    def open_from_the_event_loop(self) -> None:
        QTimer.singleShot(0, self.opened.set)


# --- export ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_finishes_with_the_count_and_a_file_that_parses(
    qtbot: QtBot, transfer: HistoryTransfer, store: HistoryStore, tmp_path: Path, fmt: ExportFormat
) -> None:
    path = tmp_path / f"history.{fmt.value}"
    reports: list[tuple[int, int]] = []
    transfer.progressed.connect(lambda done, total: reports.append((done, total)))
    with qtbot.waitSignal(transfer.finished, timeout=WAIT_MS) as finished:
        assert transfer.start_export(path, fmt)
        assert transfer.running is Direction.EXPORT  # returned before the work was done
    count = store.session_count()
    assert finished.args == [f"Exported {count} sessions to {path}."]
    assert reports[-1] == (count, count)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)
    after: Direction | None = transfer.running
    assert after is None

    if fmt is ExportFormat.CSV:
        with path.open(encoding="utf-8", newline="") as handle:
            assert len(list(csv.DictReader(handle))) == count
    elif fmt is ExportFormat.ICS:
        events = icalendar.Calendar.from_ical(path.read_text(encoding="utf-8")).walk("VEVENT")
        assert len(events) == count
    else:
        assert len(json.loads(path.read_text(encoding="utf-8"))["sessions"]) == count


def test_big_numbers_are_grouped(
    qtbot: QtBot, store: HistoryStore, window: QWidget, tmp_path: Path
) -> None:
    fill_history(store, date(2024, 1, 1), date(2024, 12, 31), seed=2)
    operation = HistoryTransfer(store, window)
    with qtbot.waitSignal(operation.finished, timeout=WAIT_MS) as finished:
        operation.start_export(tmp_path / "all.csv", ExportFormat.CSV)
    assert finished.args[0].startswith(f"Exported {store.session_count():,} sessions")
    assert "," in finished.args[0].split()[1]


def test_the_work_runs_while_the_gui_thread_goes_on(
    qtbot: QtBot, transfer: HistoryTransfer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export waits for the GUI thread to run a timer: it can only finish if
    starting it returned at once and the event loop kept turning."""
    gate = Gate(monkeypatch, "export_to_path")
    with qtbot.waitSignal(transfer.finished, timeout=WAIT_MS):
        transfer.start_export(tmp_path / "out.csv", ExportFormat.CSV)
        gate.open_from_the_event_loop()
    assert gate.threads
    assert gate.threads[0] != threading.get_ident()


def test_the_file_dialog_picks_the_format_and_the_cancel_does_nothing(
    qtbot: QtBot, transfer: HistoryTransfer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def save(parent: QWidget, title: str, default: str, filters: str) -> tuple[str, str]:
        asked.append(default)
        return str(tmp_path / "for-my-physio"), "Calendar, one event per session (*.ics)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    with qtbot.waitSignal(transfer.finished, timeout=WAIT_MS) as finished:
        transfer.export_dialog()
    assert asked == [str(Path.home() / "si-timer-history-2025-04-01.csv")]
    assert finished.args[0].endswith(f"to {tmp_path / 'for-my-physio.ics'}.")
    assert (tmp_path / "for-my-physio.ics").read_text(encoding="utf-8").startswith("BEGIN:")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: ("", ""))
    transfer.export_dialog()
    transfer.import_dialog()
    assert transfer.running is None


@pytest.mark.parametrize(
    ("name", "chosen", "expected"),
    [
        ("notes", "Spreadsheet, one row per session (*.csv)", ("notes.csv", ExportFormat.CSV)),
        ("notes.JSON", "Spreadsheet, one row per session (*.csv)", ("notes.JSON", "json")),
        ("notes.txt", "Calendar, one event per session (*.ics)", ("notes.txt.ics", "ics")),
        ("notes", "", ("notes.csv", ExportFormat.CSV)),
    ],
)
def test_export_target_by_suffix_then_filter(
    name: str, chosen: str, expected: tuple[str, str]
) -> None:
    path, fmt = export_target(f"/backups/{name}", chosen)
    assert (path, fmt) == (Path("/backups") / expected[0], ExportFormat(expected[1]))


def test_export_to_a_folder_that_cannot_be_written_fails_in_one_line(
    qtbot: QtBot, transfer: HistoryTransfer, tmp_path: Path
) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder", encoding="utf-8")
    for target in (tmp_path / "missing" / "out.csv", in_the_way / "out.csv"):
        with qtbot.waitSignal(transfer.failed, timeout=WAIT_MS) as failed:
            transfer.start_export(target, ExportFormat.CSV)
        (text,) = failed.args
        assert text.startswith(f"Could not export to {target}: ")
        assert "\n" not in text
        assert "Traceback" not in text
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with qtbot.waitSignal(transfer.failed, timeout=WAIT_MS) as failed:
            transfer.start_export(locked / "out.csv", ExportFormat.CSV)
        assert "Permission denied" in failed.args[0]
    assert list(tmp_path.rglob("*.partial")) == []


def test_a_cancelled_export_writes_nothing(
    qtbot: QtBot,
    transfer: HistoryTransfer,
    window: QWidget,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = Gate(monkeypatch, "export_to_path")
    out = tmp_path / "exports"
    out.mkdir()
    with qtbot.waitSignal(transfer.cancelled, timeout=WAIT_MS):
        transfer.start_export(out / "all.json", ExportFormat.JSON)
        dialog = window.findChild(QProgressDialog)
        assert isinstance(dialog, QProgressDialog)
        button = dialog.findChild(QPushButton)
        assert isinstance(button, QPushButton)
        assert button.text() == "Cancel"
        button.click()
        gate.opened.set()
    assert list(out.iterdir()) == []
    assert transfer.running is None


def test_one_at_a_time(
    qtbot: QtBot, transfer: HistoryTransfer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch, "export_to_path")
    transfer.start_export(tmp_path / "first.csv", ExportFormat.CSV)
    with qtbot.waitSignal(transfer.failed) as refused:
        assert not transfer.start_import(tmp_path / "backup.json")
    assert refused.args == ["An export is still running; try again when it has finished."]
    with qtbot.waitSignal(transfer.ended, timeout=WAIT_MS):
        gate.opened.set()
    assert (tmp_path / "first.csv").exists()


def test_deleted_while_running_it_stops_the_worker_and_waits(
    store: HistoryStore, window: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window closes mid-export: the worker is cancelled and finished before the
    relay it reports through is gone (no crash, no half-written file)."""
    operation = HistoryTransfer(store, window)
    gate = Gate(monkeypatch, "export_to_path")
    gate.opened = operation._cancel  # the worker goes on only once it is cancelled
    target = tmp_path / "exports" / "all.json"
    target.parent.mkdir()
    operation.start_export(target, ExportFormat.JSON)
    shiboken6.delete(operation)  # what deleting the window does to its children
    assert gate.returned.is_set()  # deletion waited for the worker
    assert list(target.parent.iterdir()) == []


# --- import ------------------------------------------------------------------------


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    """A backup from another computer: April, which this history does not have yet."""
    other, _ = HistoryStore.open(tmp_path / "laptop" / "history.sqlite3", now=lambda: NOW)
    with other:
        other.merge(list(generate_sessions(date(2025, 4, 1), date(2025, 4, 20), seed=4)), [])
        path = tmp_path / "laptop.json"
        export_to_path(other, ExportFormat.JSON, path)
    return path


def test_import_merges_and_announces(
    qtbot: QtBot, transfer: HistoryTransfer, store: HistoryStore, backup: Path
) -> None:
    before = store.session_count()
    reports: list[tuple[int, int]] = []
    transfer.progressed.connect(lambda done, total: reports.append((done, total)))
    with (
        qtbot.waitSignal(transfer.imported, timeout=WAIT_MS) as imported,
        qtbot.waitSignal(transfer.finished, timeout=WAIT_MS) as finished,
    ):
        assert transfer.start_import(backup)
        assert transfer.running is Direction.IMPORT
    (result,) = imported.args
    assert isinstance(result, MergeResult)
    assert result.sessions_added == 60
    assert finished.args == [result.describe()]
    assert finished.args[0].startswith("Imported 60 new sessions")
    # The app's own connection sees the rows the worker's connection wrote.
    assert store.session_count() == before + 60
    # Every phase on one bar that only goes forward, full once, when it is done.
    assert reports[0] == (0, Phases.WHOLE)
    assert reports[-1] == (Phases.WHOLE, Phases.WHOLE)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)
    assert [d for d, _ in reports].count(Phases.WHOLE) == 1

    # The same backup again changes nothing, so nothing is announced.
    announced: list[object] = []
    transfer.imported.connect(announced.append)
    with qtbot.waitSignal(transfer.finished, timeout=WAIT_MS) as again:
        transfer.start_import(backup)
    assert again.args[0].startswith("Imported 0 new sessions, 0 updated, 60 already there")
    assert announced == []


def test_imported_reaches_every_view_through_the_notifier(
    qtbot: QtBot, transfer: HistoryTransfer, store: HistoryStore, backup: Path
) -> None:
    notifier = HistoryNotifier(store)
    transfer.imported.connect(notifier.history_changed)  # as the app wires it
    with qtbot.waitSignal(notifier.history_changed, timeout=WAIT_MS):
        transfer.start_import(backup)
    notifier.close()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="cut-in-half"),
        pytest.param(
            lambda text: text.replace(',"completed",', ',"done-ish",', 1),
            id="bad-value",
        ),
    ],
)
def test_a_broken_file_fails_in_one_line_and_changes_nothing(
    qtbot: QtBot,
    transfer: HistoryTransfer,
    store: HistoryStore,
    backup: Path,
    damage: Callable[[str], str],
) -> None:
    text = backup.read_text(encoding="utf-8")
    broken = damage(text)
    assert broken != text
    backup.write_text(broken, encoding="utf-8")
    before = history_of(store)
    announced: list[object] = []
    transfer.imported.connect(announced.append)
    with qtbot.waitSignal(transfer.failed, timeout=WAIT_MS) as failed:
        transfer.start_import(backup)
    (line,) = failed.args
    assert line.startswith(f"Cannot import {backup}")
    assert line.endswith("Nothing was imported.")
    assert "\n" not in line
    assert history_of(store) == before
    assert announced == []


def test_a_bad_value_late_in_the_file_changes_nothing(
    qtbot: QtBot, transfer: HistoryTransfer, store: HistoryStore, backup: Path
) -> None:
    document = json.loads(backup.read_text(encoding="utf-8"))
    outcome = document["segment_columns"].index("outcome")
    document["sessions"][-1][-1][0][outcome] = "exploded"
    backup.write_text(json.dumps(document), encoding="utf-8")
    before = history_of(store)
    with qtbot.waitSignal(transfer.failed, timeout=WAIT_MS) as failed:
        transfer.start_import(backup)
    assert "sessions[59].segments[0].outcome" in failed.args[0]
    assert history_of(store) == before


def test_a_cancelled_import_changes_nothing(
    qtbot: QtBot,
    transfer: HistoryTransfer,
    store: HistoryStore,
    backup: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gate = Gate(monkeypatch, "import_history")
    before = history_of(store)
    with qtbot.waitSignal(transfer.cancelled, timeout=WAIT_MS):
        transfer.start_import(backup)
        transfer.cancel()
        gate.opened.set()
    assert history_of(store) == before


def test_an_import_cancelled_while_writing_rows_changes_nothing(
    qtbot: QtBot,
    transfer: HistoryTransfer,
    store: HistoryStore,
    window: QWidget,
    backup: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cancel pressed while the rows are being written: the bar is not full, and the
    rows already written are rolled back."""
    weights = list(IMPORT_PHASES.values())
    before_write = sum(weights[: list(IMPORT_PHASES).index("write")])
    low = before_write * Phases.WHOLE // sum(weights)
    high = (before_write + IMPORT_PHASES["write"]) * Phases.WHOLE // sum(weights)
    pressed = threading.Event()
    real = transfer_module.import_history

    def held(store: HistoryStore, path: Path, *, progress: Progress) -> Any:
        def writing(done: int, total: int) -> None:
            progress(done, total)  # raises once Cancel was pressed
            if low < done < high and not pressed.is_set():
                # Wait (in the worker) until the GUI thread has shown this and cancelled.
                assert pressed.wait(WAIT_MS / 1000)

        return real(store, path, progress=writing)

    monkeypatch.setattr(transfer_module, "import_history", held)
    shown: list[tuple[int, int]] = []

    def press_cancel(done: int, total: int) -> None:
        if low < done < high and not pressed.is_set():
            dialog = window.findChild(QProgressDialog)
            assert isinstance(dialog, QProgressDialog)
            shown.append((dialog.value(), dialog.maximum()))
            button = dialog.findChild(QPushButton)
            assert isinstance(button, QPushButton)
            button.click()
            pressed.set()

    transfer.progressed.connect(press_cancel)
    before = history_of(store)
    with qtbot.waitSignal(transfer.cancelled, timeout=WAIT_MS):
        transfer.start_import(backup)
    value, maximum = shown[0]
    assert maximum == Phases.WHOLE
    assert low < value < high
    assert history_of(store) == before


# --- from the menu -------------------------------------------------------------------


@pytest.mark.qt_log_ignore(*BACKEND_PROBE_WARNINGS)  # a session preloads the sounds
def test_the_menu_tells_the_result_without_building_the_history_page(
    qtbot: QtBot, tmp_path: Path, backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from si_timer.ui.app import App  # the whole app: only this test needs it

    paths = resolve_paths(tmp_path / "data")
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text(json.dumps({"safety_acknowledged": True}))
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    app = App(qapp, paths)
    qtbot.addWidget(app.window)
    store = app.history.store
    assert store is not None
    assert app.histories.notifier is not None
    count = fill_history(store, date(2025, 3, 1), date(2025, 3, 10))
    board = app.notices
    banner = app.window.banner

    def told() -> Notice:
        (notice,) = [n for n in board.notices() if n.key == "transfer"]
        return notice

    target = tmp_path / "menu-export.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    with qtbot.waitSignal(board.changed, timeout=WAIT_MS):
        app.window.export_requested.emit()
    assert told() == Notice("transfer", f"Exported {count} sessions to {target}.", NoticeLevel.INFO)
    assert banner.isVisibleTo(app.window)  # seen on the home page, where the person is

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(broken), ""))
    app.window.import_requested.emit()
    qtbot.waitUntil(lambda: told().level is NoticeLevel.WARNING, timeout=WAIT_MS)
    assert told().text.startswith(f"Cannot import {broken}")

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(backup), ""))
    with qtbot.waitSignal(app.histories.notifier.history_changed, timeout=WAIT_MS):
        app.window.import_requested.emit()
    qtbot.waitUntil(lambda: told().text.startswith("Imported 60 new sessions"), timeout=WAIT_MS)
    assert store.session_count() == count + 60
    assert app.histories.built_page is None  # the page was never needed

    # During a session the merge would hold the database the session records into.
    asked: list[object] = []

    def open_file(*args: object) -> tuple[str, str]:
        asked.append(args)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
    monkeypatch.setattr(app.window, "ask_end", lambda: True)
    app.start_routine("morning")
    assert app.runner.running
    app.window.import_requested.emit()
    assert told().text == "Finish the session first, then import the backup."
    assert asked == []
    app.shut_down()
