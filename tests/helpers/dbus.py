"""A private D-Bus for tests: a dbus-daemon of our own and stand-in desktop services.

The stand-ins are small QtDBus scripts in child processes that write down
every call they get, so a test can check what the app sent without a desktop.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

needs_dbus_daemon = pytest.mark.skipif(
    shutil.which("dbus-daemon") is None,
    reason="dbus-daemon is not installed (Debian: dbus-daemon)",
)

# A notification server with one extra interface, test.Control, through which
# a test presses a notification's button (ActionInvoked) or dismisses it, and
# a system-bus logind stand-in that announces sleep (PrepareForSleep).
STAND_IN_NOTIFICATIONS = """
import sys
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Signal, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusConnection

record_file = sys.argv[1]


def record(*fields):
    with open(record_file, "a", encoding="utf-8") as out:
        out.write("\\t".join(map(str, fields)) + "\\n")


class Service(QObject):
    pass


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class Notifications(QDBusAbstractAdaptor):
    ActionInvoked = Signal("uint", str)
    NotificationClosed = Signal("uint", "uint")
    next_id = 0

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(self, app_name, replaces_id, icon, summary, body, actions, hints, timeout):
        Notifications.next_id += 1
        record("Notify", Notifications.next_id, app_name, icon, summary, body,
               "|".join(actions), hints.get("desktop-entry", ""))
        return Notifications.next_id

    @Slot("uint")
    def CloseNotification(self, notification_id):
        record("CloseNotification", notification_id)
        self.NotificationClosed.emit(notification_id, 3)

    @Slot(result="QStringList")
    def GetCapabilities(self):
        return ["actions", "body"]


@ClassInfo({"D-Bus Interface": "test.Control"})
class Control(QDBusAbstractAdaptor):
    def __init__(self, parent, notifications):
        super().__init__(parent)
        self.notifications = notifications

    @Slot(int, str)
    def Press(self, notification_id, key):
        self.notifications.ActionInvoked.emit(notification_id, key)
        self.notifications.NotificationClosed.emit(notification_id, 2)


app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
service = Service()
notifications = Notifications(service)
control = Control(service, notifications)
ok = bus.registerObject("/org/freedesktop/Notifications", service) and bus.registerService(
    "org.freedesktop.Notifications"
)
print("ready" if ok else "failed: " + bus.lastError().message(), flush=True)
app.exec()
"""

STAND_IN_LOGIND = """
import sys
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Signal, Slot
from PySide6.QtDBus import QDBusAbstractAdaptor, QDBusConnection


class Service(QObject):
    pass


@ClassInfo({"D-Bus Interface": "org.freedesktop.login1.Manager"})
class Manager(QDBusAbstractAdaptor):
    PrepareForSleep = Signal(bool)


@ClassInfo({"D-Bus Interface": "test.Control"})
class Control(QDBusAbstractAdaptor):
    def __init__(self, parent, manager):
        super().__init__(parent)
        self.manager = manager

    @Slot(bool)
    def Sleep(self, going):
        self.manager.PrepareForSleep.emit(going)


app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
service = Service()
manager = Manager(service)
control = Control(service, manager)
ok = bus.registerObject("/org/freedesktop/login1", service) and bus.registerService(
    "org.freedesktop.login1"
)
print("ready" if ok else "failed: " + bus.lastError().message(), flush=True)
app.exec()
"""


def first_line(proc: subprocess.Popen[str], what: str, timeout: float = 10.0) -> str:
    """The child's first line of output; fails loudly if it does not come."""
    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    if not ready:
        proc.kill()
        pytest.fail(f"{what} printed nothing within {timeout} s")
    line = proc.stdout.readline().strip()
    if not line:
        proc.wait()
        stderr = proc.stderr.read() if proc.stderr is not None else ""
        pytest.fail(f"{what} exited ({proc.returncode}) without output: {stderr}")
    return line


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def start_bus(socket_dir: Path) -> Iterator[str]:
    """A real session-type dbus-daemon of our own; yields its address."""
    socket_dir.mkdir()
    daemon = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            f"--address=unix:dir={socket_dir}",
            "--print-address",
            "--nofork",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield first_line(daemon, "dbus-daemon")
    finally:
        stop(daemon)


@dataclass
class StandInService:
    record_file: Path
    process: subprocess.Popen[str]

    def calls(self) -> list[tuple[str, ...]]:
        if not self.record_file.exists():
            return []
        text = self.record_file.read_text(encoding="utf-8")
        return [tuple(line.split("\t")) for line in text.splitlines()]


def start_service(source: str, bus_address: str, work: Path, name: str) -> Iterator[StandInService]:
    script = work / f"{name}.py"
    script.write_text(source, encoding="utf-8")
    env_python = [sys.executable, str(script), str(work / f"{name}.tsv")]
    env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=bus_address, QT_QPA_PLATFORM="offscreen")
    process = subprocess.Popen(
        env_python, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert first_line(process, f"the stand-in {name}") == "ready"
        yield StandInService(work / f"{name}.tsv", process)
    finally:
        stop(process)
