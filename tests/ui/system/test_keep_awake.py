"""ScreenKeeper: holds the screen awake through org.freedesktop.ScreenSaver, or notes why not.

The D-Bus tests run a private dbus-daemon and a stand-in screensaver service
(a small QtDBus script in a child process) that writes down every call it
gets.  D-Bus calls here are synchronous and the service writes before it
replies, so each check can read the record straight after the call.
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from si_timer.ui.system.keep_awake import (
    KeepAwakeUnavailable,
    ScreenKeeper,
    WindowsBackend,
)
from tests.helpers.dbus import StandInService, start_bus, start_service, stop

LOGGER = "si_timer.ui.system.keep_awake"

needs_dbus_daemon = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None,
    reason="dbus-daemon is not installed (Debian: dbus-daemon)",
)

_STAND_IN_SCREENSAVER = """
import sys
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

record_file = sys.argv[1]


def record(*fields):
    with open(record_file, "a", encoding="utf-8") as out:
        out.write("\\t".join(map(str, fields)) + "\\n")


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    next_cookie = 4100

    @Slot(str, str, result="uint")
    def Inhibit(self, app_name, reason):
        ScreenSaver.next_cookie += 1
        record("Inhibit", app_name, reason, ScreenSaver.next_cookie)
        return ScreenSaver.next_cookie

    @Slot("uint")
    def UnInhibit(self, cookie):
        record("UnInhibit", cookie)


app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
service = ScreenSaver()
ok = bus.registerObject(
    "/org/freedesktop/ScreenSaver", service, QDBusConnection.RegisterOption.ExportAllSlots
) and bus.registerService("org.freedesktop.ScreenSaver")
print("ready" if ok else "failed: " + bus.lastError().message(), flush=True)
app.exec()
"""


@pytest.fixture
def private_bus(tmp_path: Path) -> Iterator[str]:
    """A real session-type dbus-daemon of our own; yields its address."""
    yield from start_bus(tmp_path / "bus")


@pytest.fixture
def screensaver(
    private_bus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[StandInService]:
    # The keeper under test finds the bus the way a desktop program would.
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", private_bus)
    yield from start_service(_STAND_IN_SCREENSAVER, private_bus, tmp_path, "screensaver")


@pytest.fixture
def keepers() -> Iterator[list[ScreenKeeper]]:
    """Keepers made by a test, closed (bus connection dropped) before the bus stops."""
    made: list[ScreenKeeper] = []
    yield made
    for keeper in made:
        keeper.close()


def _keeper(keepers: list[ScreenKeeper], bus_address: str) -> ScreenKeeper:
    keeper = ScreenKeeper("SI Timer", bus_address=bus_address)
    keepers.append(keeper)
    return keeper


def _notes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == LOGGER]


# -- against a real bus -------------------------------------------------------------


@needs_dbus_daemon
def test_inhibit_hands_out_a_cookie_that_release_gives_back(
    screensaver: StandInService, private_bus: str, keepers: list[ScreenKeeper]
) -> None:
    keeper = _keeper(keepers, private_bus)
    assert keeper.inhibit("Exercise session running")
    [inhibit] = screensaver.calls()
    assert inhibit[:3] == ("Inhibit", "SI Timer", "Exercise session running")
    cookie = inhibit[3]

    keeper.release()
    assert not keeper.active
    # Reaching the service at all proves the cookie went out as uint32:
    # sent as int32 it is rejected as an unknown method.
    assert screensaver.calls()[1:] == [("UnInhibit", cookie)]


@needs_dbus_daemon
def test_inhibit_and_release_are_idempotent(
    screensaver: StandInService, private_bus: str, keepers: list[ScreenKeeper]
) -> None:
    keeper = _keeper(keepers, private_bus)
    keeper.inhibit("running")
    keeper.inhibit("still running")
    keeper.release()
    keeper.release()
    keeper.inhibit("resumed")
    calls = screensaver.calls()
    assert [call[0] for call in calls] == ["Inhibit", "UnInhibit", "Inhibit"]
    assert calls[1][1] == calls[0][3]
    assert calls[2][3] != calls[0][3]
    assert keeper.active


@needs_dbus_daemon
def test_a_bus_without_a_screensaver_is_noted_once(
    private_bus: str, keepers: list[ScreenKeeper], caplog: pytest.LogCaptureFixture
) -> None:
    keeper = _keeper(keepers, private_bus)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert not keeper.inhibit("running")
        assert not keeper.inhibit("running")
        keeper.release()
    [note] = _notes(caplog)
    assert "org.freedesktop.ScreenSaver" in note
    assert not keeper.active


@needs_dbus_daemon
def test_a_screensaver_that_goes_away_is_noted_not_raised(
    screensaver: StandInService,
    private_bus: str,
    keepers: list[ScreenKeeper],
    caplog: pytest.LogCaptureFixture,
) -> None:
    keeper = _keeper(keepers, private_bus)
    assert keeper.inhibit("running")
    stop(screensaver.process)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        keeper.release()
    [note] = _notes(caplog)
    assert "UnInhibit" in note
    assert not keeper.active


def test_no_bus_at_all_degrades_quietly(
    tmp_path: Path, keepers: list[ScreenKeeper], caplog: pytest.LogCaptureFixture
) -> None:
    keeper = _keeper(keepers, f"unix:path={tmp_path / 'no-bus-here'}")
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert not keeper.inhibit("running")
        assert not keeper.inhibit("running")
        keeper.release()
    [note] = _notes(caplog)
    assert "cannot connect to D-Bus" in note


# -- the keeper's own logic, with a stand-in backend ------------------------------------


class RecordingBackend:
    def __init__(self, fail_with: str | None = None) -> None:
        self.calls: list[str] = []
        self.fail_with = fail_with

    def inhibit(self, app_name: str, reason: str) -> None:
        self.calls.append(f"inhibit {app_name}: {reason}")
        if self.fail_with is not None:
            raise KeepAwakeUnavailable(self.fail_with)

    def release(self) -> None:
        self.calls.append("release")

    def close(self) -> None:
        self.calls.append("close")


def test_close_releases_first() -> None:
    backend = RecordingBackend()
    keeper = ScreenKeeper("SI Timer", backend=backend)
    keeper.inhibit("running")
    keeper.close()
    assert backend.calls == ["inhibit SI Timer: running", "release", "close"]


def test_a_failing_backend_is_retried_but_noted_once(caplog: pytest.LogCaptureFixture) -> None:
    backend = RecordingBackend(fail_with="nothing to talk to")
    keeper = ScreenKeeper("SI Timer", backend=backend)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert not keeper.inhibit("one")
        assert not keeper.inhibit("two")
        keeper.release()  # nothing held, so nothing to release
    # Retried, because a screensaver service may start after we do.
    assert backend.calls == ["inhibit SI Timer: one", "inhibit SI Timer: two"]
    assert _notes(caplog) == ["The screen may blank during sessions: nothing to talk to"]


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows fallback")
def test_the_windows_backend_elsewhere_just_declines() -> None:
    keeper = ScreenKeeper(backend=WindowsBackend())
    assert not keeper.inhibit("running")
