"""The background part in the real app: a reminder's "Start now" opens its session, sleep
pauses a session, closing the window keeps reminders only when chosen, the tray menu."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusInterface
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from si_timer.config.paths import AppPaths, resolve_paths
from si_timer.config.settings import load_settings
from si_timer.records import replace
from si_timer.session.clock import FakeClock
from si_timer.session.commands import Command
from si_timer.session.engine import EngineState, PauseReason
from si_timer.session.reminders import ReminderSlot
from si_timer.ui.app import App
from si_timer.ui.background import STILL_RUNNING_NO_TRAY
from si_timer.ui.system.notifications import DesktopNotifications
from tests.helpers.dbus import (
    STAND_IN_NOTIFICATIONS,
    StandInService,
    needs_dbus_daemon,
    start_bus,
    start_service,
)
from tests.helpers.qt_messages import BACKEND_PROBE_WARNINGS

# Offscreen has no window manager to raise the window for "Start now".
pytestmark = [
    pytest.mark.qt_log_ignore(*BACKEND_PROBE_WARNINGS, "This plugin does not support raise"),
    needs_dbus_daemon,
]
BERLIN = ZoneInfo("Europe/Berlin")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"


@dataclass
class WallClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


@dataclass
class Running:
    app: App
    wall: WallClock
    server: StandInService
    control: QDBusInterface

    def notified(self) -> list[tuple[str, ...]]:
        return [call for call in self.server.calls() if call[0] == "Notify"]


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    paths = resolve_paths(tmp_path / "data")
    paths.config_dir.mkdir(parents=True)
    paths.settings_file.write_text(
        json.dumps({"safety_acknowledged": True, "speech_engine": "mock"})
    )
    return paths


@pytest.fixture
def running(
    qtbot: QtBot, paths: AppPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Running]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))  # not in the menu yet
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "system-share"))
    for bus in start_bus(tmp_path / "bus"):
        for server in start_service(STAND_IN_NOTIFICATIONS, bus, tmp_path, "notifications"):
            qapp = QApplication.instance()
            assert isinstance(qapp, QApplication)
            app = App(qapp, paths, clock=FakeClock())
            monkeypatch.setattr(app.window, "ask_end", lambda: True)
            qtbot.addWidget(app.window)
            app.window.show()
            app.history  # noqa: B018 - run_app opens it once the window has painted
            wall = WallClock(datetime(2026, 6, 1, 7, 59, tzinfo=BERLIN))
            sleep_bus = QDBusConnection.connectToBus(bus, "test-sleep")
            app.background.start(
                desktop=DesktopNotifications(bus, parent=app),
                sleep_bus=sleep_bus,
                now=wall.now,
                tray=False,
            )
            control_bus = QDBusConnection.connectToBus(bus, "test-control")
            control = QDBusInterface(
                "org.freedesktop.Notifications",
                "/org/freedesktop/Notifications",
                "test.Control",
                control_bus,
            )
            yield Running(app, wall, server, control)
            app.background.stop()
            app.shut_down()
            qapp.setQuitOnLastWindowClosed(True)
            del control
            for name in ("test-control", "test-sleep"):
                QDBusConnection.disconnectFromBus(name)


def remind_at_eight(app: App, **more: object) -> None:
    app.update_settings(
        replace(
            app.settings,
            reminders_on=True,
            reminders=(ReminderSlot(time(8, 0), "morning"),),
            **more,  # type: ignore[arg-type]
        )
    )


def test_start_now_opens_straight_into_the_session(qtbot: QtBot, running: Running) -> None:
    app = running.app
    remind_at_eight(app)
    running.wall.moment += timedelta(minutes=1)
    assert app.background.reminders is not None
    app.background.reminders.timer.timeout.emit()
    [notify] = running.notified()
    assert notify[3].endswith("si-timer.svg")  # not installed: the bundled icon's file
    assert Path(notify[3]).is_file()
    running.control.call("Press", int(notify[1]), "start")
    qtbot.waitUntil(lambda: app.runner.running, timeout=5000)
    assert app.runner.run is not None
    assert app.runner.run.plan.routine_id == "morning"
    assert app.window.pages.currentWidget() is app.window.player


def test_the_favourite_routines_goal_is_the_default_schedule(running: Running) -> None:
    app = running.app
    app.update_settings(replace(app.settings, reminders_on=True))
    slots = app.background.slots(app.settings)
    assert [(s.at, s.routine) for s in slots] == [(time(8), "morning"), (time(19), "morning")]


def test_sleep_pauses_a_running_session(qtbot: QtBot, running: Running) -> None:
    app = running.app
    app.start_routine("morning")
    run = app.runner.run
    assert run is not None
    app.runner.command(Command.READY)  # past the start screen
    qtbot.waitUntil(lambda: run.engine.state is EngineState.RUNNING, timeout=5000)
    assert app.background.sleep is not None
    app.background.sleep.sleep_coming.emit()
    assert run.engine.state is EngineState.PAUSED
    assert run.engine.reason is PauseReason.SLEPT
    app.background.sleep.sleep_coming.emit()  # already paused: not resumed by a toggle
    assert run.engine.state is EngineState.PAUSED


def test_closing_the_window_keeps_reminders_only_when_chosen_and_says_so_once(
    qtbot: QtBot, running: Running
) -> None:
    app = running.app
    remind_at_eight(app)
    assert not app.background.window_closed()  # not chosen: closing the window quits
    remind_at_eight(app, run_in_background=True)
    app.window.close()
    assert app.qapp.quitOnLastWindowClosed() is False
    assert app.background.keep_running
    [told] = running.notified()
    assert told[5] == STILL_RUNNING_NO_TRAY
    assert load_settings(app.paths.settings_file)[0].background_explained
    assert app.history.store is not None  # still recording what is done
    app.window.show()
    app.window.close()
    assert len(running.notified()) == 1  # the first time only


def test_start_at_login_follows_the_setting(running: Running, tmp_path: Path) -> None:
    app = running.app
    entry = tmp_path / "xdg-config" / "autostart" / "io.github.si_timer.SiTimer.desktop"
    app.update_settings(replace(app.settings, start_at_login=True))
    assert "--background" in entry.read_text(encoding="utf-8")
    app.update_settings(replace(app.settings, start_at_login=False))
    assert not entry.exists()


def test_the_menu_entry_is_offered_once_when_missing(
    running: Running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = running.app
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "system-share"))
    app.background.offer_menu_entry()
    [notice] = [n for n in app.notices.notices() if n.key == "menu-entry"]
    assert "si-timer desktop install" in (notice.detail or "")
    assert load_settings(app.paths.settings_file)[0].menu_entry_offered
    app.notices.clear("menu-entry")
    app.background.offer_menu_entry()
    assert not [n for n in app.notices.notices() if n.key == "menu-entry"]


def test_the_last_check_is_kept_for_the_next_run(running: Running) -> None:
    app = running.app
    remind_at_eight(app)
    running.wall.moment += timedelta(minutes=1)
    assert app.background.reminders is not None
    app.background.reminders.timer.timeout.emit()
    assert len(running.notified()) == 1
    state = app.paths.cache_dir / "reminders.json"
    assert json.loads(state.read_text())["last_checked"] == running.wall.moment.isoformat()
    app.background.stop()
    assert app.background._load_last_checked() == running.wall.moment
    state.write_text("{not json")
    assert app.background._load_last_checked() is None  # no memory, no crash
