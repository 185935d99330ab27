"""Start-up: the first screen is built from little, and the rest waits for its paint."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.history.store import HistoryStore
from si_timer.library.cache import cached_catalog
from si_timer.ui.app import App
from si_timer.ui.launch import AfterFirstPaint
from tests.helpers.fresh_python import fresh_python
from tests.helpers.history_factories import make_plan
from tests.helpers.qt_messages import BACKEND_PROBE_WARNINGS

# Loaded only after the first paint, or when first used.
LATER = (
    "yaml",
    "sqlite3",
    "PySide6.QtMultimedia",
    "PySide6.QtTextToSpeech",
    "PySide6.QtDBus",
    "PySide6.QtCharts",
    "PySide6.QtNetwork",  # the single-instance server: the name is claimed with _socket
    "socket",
    "hashlib",  # OpenSSL, for one hash of the data folder's name
    "si_timer.ui.system.single_instance_server",
    "si_timer.figures.loader",  # (the package itself: where the figure cache is kept)
    "si_timer.figures.skeleton",
    "si_timer.library.loader",
    "si_timer.history.store",
    "si_timer.history.exchange",
    "si_timer.ui.session.player",
    "si_timer.ui.session.runner",
    "si_timer.ui.background",
    "si_timer.ui.dialogs",
    # Records are built without dataclasses (its import and an exec per class cost
    # a fifth of the start); inspect, ast and argparse are PySide6's own imports.
    "dataclasses",
    "copy",  # records.asdict of the palette copies only what is not a plain value
)

# Qt classes Python never touches before the first paint. Wrapping a widget Qt made
# itself (a scroll area's own viewport) or the application's QStyle has PySide load
# every class it might be, with all their enums: 10-15 ms on the way to the paint.
UNWRAPPED = ("QStyle", "QMdiArea", "QGraphicsView", "QTextEdit")

# Loaded only after the first countdown has painted: the figure (its geometry and the
# YAML reader), the history store (merges, the YAML reader again), the summary page.
SESSION_LATER = (
    "yaml",
    "PySide6.QtMultimedia",
    "PySide6.QtNetwork",
    "socket",
    "hashlib",
    "si_timer.figures.loader",
    "si_timer.figures.pose",
    "si_timer.ui.figure",
    "si_timer.history.store",
    "si_timer.history.merge",
    "si_timer.history.changes",
    "si_timer.ui.session.recording",
    "si_timer.ui.session.summary",
    "dataclasses",
    "copy",
)


def _paths(tmp_path: Path) -> AppPaths:
    paths = resolve_paths(tmp_path / "data")
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text(
        json.dumps({"safety_acknowledged": True, "speech_engine": "mock"})
    )
    return paths


def test_home_is_built_and_filled_without_what_comes_later(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    cached_catalog(paths.cache_dir, paths.user_exercises_dir, paths.user_routines_dir)
    code = f"""
import sys
import PySide6.QtWidgets
from si_timer.config.paths import resolve_paths
import si_timer.cli, si_timer.ui.launch
from si_timer.ui.app import App
from si_timer.ui.theme import fusion_application
paths = resolve_paths({str(tmp_path / "data")!r})
qapp = fusion_application("si-timer")
app = App(qapp, paths, paint_first=True)
app.window.show_page(app.window.home)
app.window.show()
qapp.processEvents()
assert app.window.home.start_buttons()
print(sorted(m for m in {LATER!r} if m in sys.modules))
print(sorted(c for c in {UNWRAPPED!r} if c in vars(PySide6.QtWidgets)))
"""
    done = fresh_python(code, tmp_path)
    assert done.stdout.strip().splitlines()[-2:] == ["[]", "[]"]


def test_the_window_builds_each_page_when_first_asked(qtbot: QtBot, tmp_path: Path) -> None:
    app = App(QApplication.instance(), _paths(tmp_path), paint_first=True)  # type: ignore[arg-type]
    qtbot.addWidget(app.window)
    assert app.window.built_pages() == []
    built: list[object] = []
    app.window.page_built.connect(built.append)
    home = app.window.home
    assert built == [home]
    assert app.window.home is home  # once
    app.shut_down()


@pytest.mark.qt_log_ignore(*BACKEND_PROBE_WARNINGS)  # the session loads its sounds
def test_start_opens_the_session_first_and_home_only_when_shown(
    qtbot: QtBot, tmp_path: Path
) -> None:
    app = App(QApplication.instance(), _paths(tmp_path), paint_first=True)  # type: ignore[arg-type]
    qtbot.addWidget(app.window)
    assert app.open_session_first("morning")
    window = app.window
    assert window.pages.currentWidget() is window.built_player
    assert window.built_home is None  # never built on the way to the countdown
    run = app.runner.run
    assert run is not None
    assert run.controller.starts_in() is None  # held: nothing counts before the paint
    app.after_first_paint("start", "morning")
    assert run.controller.starts_in() is not None  # it starts by itself now
    assert app.in_session
    app.shut_down()


def test_home_shows_no_numbers_until_the_history_is_open(qtbot: QtBot, tmp_path: Path) -> None:
    app = App(QApplication.instance(), _paths(tmp_path), paint_first=True)  # type: ignore[arg-type]
    qtbot.addWidget(app.window)
    home = app.window.home
    app.window.show()
    assert home.status.text() == ""
    assert home.streak.text() == ""
    lasts = [label.text() for label in home.findChildren(QLabel) if "Last done" in label.text()]
    assert lasts == []  # not "Not done yet" before anyone has looked
    app.after_first_paint("open", None)
    assert home.status.text().startswith("Nothing yet today")
    lasts = [label.text() for label in home.findChildren(QLabel) if "Last done" in label.text()]
    assert lasts
    assert all(text == "Last done: Not done yet" for text in lasts)
    app.shut_down()


def test_after_first_paint_waits_for_the_paint(qtbot: QtBot) -> None:
    label = QLabel("Hello")
    qtbot.addWidget(label)
    ran: list[bool] = []
    AfterFirstPaint(label, lambda: ran.append(True))
    QApplication.processEvents()
    assert ran == []  # not shown, never painted
    label.show()
    qtbot.waitUntil(lambda: ran == [True])
    label.update()
    QApplication.processEvents()
    assert ran == [True]  # once


def test_the_window_commands_start_without_argparse_or_the_log_file(tmp_path: Path) -> None:
    """`si-timer` and `si-timer start ROUTINE` are read without building the parser, and
    the rotating log file waits for the first paint (and takes no logging.handlers)."""
    paths = _paths(tmp_path)
    code = f"""
import argparse, sys
import si_timer.cli as cli
built = []
real = cli.build_parser
cli.build_parser = lambda: built.append(1) or real()
import si_timer.ui.launch as launch
assert not hasattr(launch, "setup_logging")  # run_app opens the file only after the paint
seen = {{}}
def files():
    import logging
    handlers = logging.getLogger("si_timer").handlers
    return any(isinstance(h, logging.FileHandler) for h in handlers)
def run_app(paths, args, *, catalog=None):
    log_file, open_file = launch.setup_logging_later(paths)
    seen["handlers"] = files()
    open_file()
    seen["after"] = files() and "logging.handlers" not in sys.modules
    return 0
launch.run_app = run_app
assert cli.main(["--data-dir", {str(paths.data_dir)!r}, "start", "morning"]) == 0
print(built, seen["handlers"], seen["after"])
"""
    done = fresh_python(code, tmp_path)
    assert done.stdout.split() == ["[]", "False", "True"]


def test_the_first_countdown_paints_without_the_figure_or_the_history(tmp_path: Path) -> None:
    """`si-timer start`: the countdown, phase, name and side paint first; the figure is
    drawn and the history opened (and the session written to it) just after."""
    paths = _paths(tmp_path)
    cached_catalog(paths.cache_dir, paths.user_exercises_dir, paths.user_routines_dir)
    code = f"""
import sys
import PySide6.QtWidgets
from si_timer.config.paths import resolve_paths
import si_timer.cli, si_timer.ui.launch
from si_timer.ui.app import App
from si_timer.ui.theme import fusion_application
paths = resolve_paths({str(tmp_path / "data")!r})
qapp = fusion_application("si-timer")
app = App(qapp, paths, paint_first=True)
assert app.open_session_first("morning")
app.window.show()
qapp.processEvents()
player = app.window.player
assert player.ring.isVisible() and player.phase_label.text() and player.exercise_label.text()
print(sorted(m for m in {SESSION_LATER!r} if m in sys.modules))
print(sorted(c for c in {UNWRAPPED!r} if c in vars(PySide6.QtWidgets)))
app.after_first_paint("start", "morning")
assert player.figure is not None and player.figure.isVisible()
store = app.history.store
assert store is not None and len(list(store.iter_stored_sessions())) == 1, "written, once painted"
app.shut_down()
"""
    done = fresh_python(code, tmp_path)
    assert done.stdout.strip().splitlines()[-2:] == ["[]", "[]"]


def test_a_session_left_unfinished_is_still_asked_about_first(qtbot: QtBot, tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    store, _ = HistoryStore.open(paths.database_file, daily_backup=False)
    with store:
        store.begin_session(
            "morning",
            make_plan("morning"),
            started_at=datetime(2025, 3, 14, 8, tzinfo=UTC),
            utc_offset_minutes=60,
        )
    app = App(QApplication.instance(), paths, paint_first=True)  # type: ignore[arg-type]
    qtbot.addWidget(app.window)
    assert not app.open_session_first("morning")  # home first, then the question
    assert not app.in_session
    assert not app.histories.is_open  # a look, not the store
    app.shut_down()


def test_the_settings_load_without_the_cue_script_or_the_plan(tmp_path: Path) -> None:
    """Reading settings takes the plan (and the library's model) only for a file that
    holds levels, and the reminder times only for one that holds reminders."""
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"safety_acknowledged": True, "volume": 0.5}))
    leveled = tmp_path / "leveled.json"
    leveled.write_text(json.dumps({"levels": {"bridge": {"hold": 8}}}))
    code = f"""
import sys
from pathlib import Path
from si_timer.config.settings import load_settings
watched = ("si_timer.session.cues", "si_timer.session.plan", "si_timer.library.model",
           "si_timer.session.reminders")
settings, _ = load_settings(Path({str(plain)!r}))
assert settings.volume == 0.5
print(sorted(m for m in watched if m in sys.modules))
settings, _ = load_settings(Path({str(leveled)!r}))
assert settings.levels["bridge"].hold == 8.0
print(sorted(m for m in watched if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "[]",
        "['si_timer.library.model', 'si_timer.session.plan']",
    ]


def test_the_running_instance_is_asked_for_and_the_name_claimed_without_qtnetwork() -> None:
    """Before the window: the hash of the data folder, the question to a running app
    and the claim on the name take neither QtNetwork nor hashlib nor socket."""
    code = """
import sys, tempfile
from pathlib import Path
from si_timer.ui.system.single_instance import HandOver, claim, hand_over, server_name
with tempfile.TemporaryDirectory(prefix="si-", dir="/tmp") as run:
    Path(run).chmod(0o700)
    import os
    os.environ["XDG_RUNTIME_DIR"] = run
    name = server_name(Path(run) / "data")
    assert name.startswith(run), name
    assert hand_over(name, {"command": "open"}) is HandOver.NO_INSTANCE
    claimed = claim(name)
    assert claimed is not None and Path(name).exists()
    claimed.close()
print(sorted(m for m in ("PySide6.QtNetwork", "hashlib", "socket") if m in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]"]
