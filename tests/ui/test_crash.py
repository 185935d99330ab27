"""The excepthook: a bug in a slot is logged with its traceback, work is kept safe, and the
person is told once, calmly."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from pytestqt.qtbot import QtBot

from si_timer.config.logs import setup_logging
from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.ui.crash import CRASH_TITLE, crash_message, install_excepthook

log = logging.getLogger("si_timer")


class Button(QObject):
    clicked = Signal()


class Recorder:
    """Stands in for the app: what keep_safe and tell were asked to do, and on which thread."""

    def __init__(self) -> None:
        self.kept_safe = 0
        self.told: list[tuple[str, str]] = []
        self.threads: list[int] = []

    def keep_safe(self) -> None:
        self.kept_safe += 1
        self.threads.append(threading.get_ident())

    def tell(self, title: str, text: str) -> None:
        self.told.append((title, text))
        self.threads.append(threading.get_ident())


@pytest.fixture
def paths(tmp_path: Path) -> Iterator[AppPaths]:
    paths = resolve_paths(tmp_path / "root")
    before = list(log.handlers)
    yield paths
    for handler in list(log.handlers):
        if handler not in before:
            log.removeHandler(handler)
            handler.close()


@pytest.fixture
def app() -> Recorder:
    return Recorder()


@pytest.fixture
def installed(paths: AppPaths, app: Recorder) -> Iterator[Callable[[], None]]:
    log_file = setup_logging(paths)
    uninstall = install_excepthook(log_file=log_file, keep_safe=app.keep_safe, tell=app.tell)
    yield uninstall
    uninstall()


def boom() -> None:
    raise ValueError("boom")


def other_boom() -> None:
    raise KeyError("other")


@pytest.mark.usefixtures("installed")
def test_an_error_in_a_slot_is_logged_kept_safe_and_told(
    qtbot: QtBot, paths: AppPaths, app: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    button = Button()
    button.clicked.connect(boom)
    button.clicked.emit()  # PySide6 hands the slot's exception to sys.excepthook

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].name == "si_timer"
    assert errors[0].exc_info is not None
    assert errors[0].exc_info[0] is ValueError
    text = paths.log_file.read_text(encoding="utf-8")
    assert "ERROR si_timer: A bug: an unexpected error\nTraceback (most recent call last):" in text
    assert 'raise ValueError("boom")' in text
    assert text.rstrip().endswith("ValueError: boom")

    assert app.kept_safe == 1
    assert app.told == [(CRASH_TITLE, crash_message(paths.log_file))]
    assert str(paths.log_file) in app.told[0][1]
    assert "What you have done is saved." in app.told[0][1]


@pytest.mark.usefixtures("installed")
def test_an_error_in_a_slot_called_by_qt_takes_the_same_path(
    qtbot: QtBot, paths: AppPaths, app: Recorder
) -> None:
    QTimer.singleShot(0, boom)  # called from Qt's event loop, not from Python
    qtbot.waitUntil(lambda: app.told != [])
    assert app.kept_safe == 1
    assert "ValueError: boom" in paths.log_file.read_text(encoding="utf-8")


@pytest.mark.usefixtures("installed")
def test_the_same_error_again_is_kept_safe_but_told_once(
    paths: AppPaths, app: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    button = Button()
    button.clicked.connect(boom)
    for _ in range(3):
        button.clicked.emit()  # a repaint slot failing every second
    assert app.kept_safe == 3
    assert len(app.told) == 1
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 3

    button.clicked.disconnect(boom)
    button.clicked.connect(other_boom)
    button.clicked.emit()
    assert len(app.told) == 2


def test_an_error_while_keeping_safe_is_logged_and_said(
    paths: AppPaths, caplog: pytest.LogCaptureFixture
) -> None:
    told: list[str] = []

    def keep_safe() -> None:
        raise OSError("disk full")

    uninstall = install_excepthook(
        log_file=paths.log_file, keep_safe=keep_safe, tell=lambda _title, text: told.append(text)
    )
    try:
        button = Button()
        button.clicked.connect(boom)
        button.clicked.emit()
    finally:
        uninstall()
    assert told == [crash_message(paths.log_file, saved=False)]
    assert "may not have been saved" in told[0]
    messages = [(r.getMessage(), r.exc_info[0] if r.exc_info else None) for r in caplog.records]
    assert messages == [
        ("A bug: an unexpected error", ValueError),
        ("A bug: another error while keeping your work safe after an error", OSError),
    ]


def test_an_error_inside_tell_does_not_go_round(
    paths: AppPaths, caplog: pytest.LogCaptureFixture
) -> None:
    """tell() may open a dialog whose event loop runs a slot that fails, or fail itself."""
    button = Button()
    button.clicked.connect(boom)
    calls: list[str] = []

    def tell(_title: str, _text: str) -> None:
        calls.append("tell")
        button.clicked.emit()  # a nested failure while telling
        raise RuntimeError("the dialog broke")

    def keep_safe() -> None:
        calls.append("keep_safe")

    uninstall = install_excepthook(log_file=paths.log_file, keep_safe=keep_safe, tell=tell)
    try:
        button.clicked.emit()
    finally:
        uninstall()
    assert calls == ["keep_safe", "tell"]
    messages = [(r.getMessage(), r.exc_info[0] if r.exc_info else None) for r in caplog.records]
    assert messages == [
        ("A bug: an unexpected error", ValueError),
        ("A bug: an unexpected error", ValueError),  # the nested one: logged, nothing more
        ("A bug: another error while telling you after an error", RuntimeError),
    ]


def test_ctrl_c_goes_to_the_hook_there_was_before(
    monkeypatch: pytest.MonkeyPatch, app: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    reached: list[type[BaseException]] = []

    def default(
        exc_type: type[BaseException], _value: BaseException, _tb: TracebackType | None
    ) -> None:
        reached.append(exc_type)

    monkeypatch.setattr(sys, "excepthook", default)
    uninstall = install_excepthook(log_file=None, keep_safe=app.keep_safe, tell=app.tell)
    try:
        sys.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    finally:
        uninstall()
    assert reached == [KeyboardInterrupt]
    assert (app.kept_safe, app.told) == (0, [])
    assert caplog.records == []


@pytest.mark.usefixtures("installed")
def test_an_error_in_a_worker_thread_is_answered_on_the_gui_thread(
    qtbot: QtBot, paths: AppPaths, app: Recorder
) -> None:
    worker = threading.Thread(target=boom, name="export")
    worker.start()
    worker.join()
    assert "ERROR si_timer: A bug: an unexpected error in export" in paths.log_file.read_text(
        encoding="utf-8"
    )
    qtbot.waitUntil(lambda: app.told != [])
    assert app.kept_safe == 1
    assert app.threads == [threading.get_ident()] * 2


def test_uninstall_puts_the_earlier_hooks_back(app: Recorder) -> None:
    before = (sys.excepthook, threading.excepthook)
    uninstall = install_excepthook(log_file=None, keep_safe=app.keep_safe, tell=app.tell)
    assert (sys.excepthook, threading.excepthook) != before
    uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_without_a_log_file_the_message_points_at_the_terminal() -> None:
    text = crash_message(None)
    assert "printed on the terminal" in text
    assert "log:" not in text
