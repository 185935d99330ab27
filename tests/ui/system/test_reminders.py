"""Reminders over a real (private) D-Bus: a stand-in notification server and a stand-in logind.

The clock is moved by hand and the timer's own slot is called, as a real wake
would: no test waits a minute.  The stand-in server writes down every
``Notify``; a test presses a button through its ``test.Control`` interface,
which makes the server emit ``ActionInvoked`` as a desktop would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusInterface
from pytestqt.qtbot import QtBot

from si_timer.session.reminders import ReminderSlot
from si_timer.ui.system.notifications import DesktopNotifications, Notifier
from si_timer.ui.system.reminders import MAX_WAIT, Reminders
from si_timer.ui.system.sleep_watch import SleepWatcher
from tests.helpers.dbus import (
    STAND_IN_LOGIND,
    STAND_IN_NOTIFICATIONS,
    StandInService,
    needs_dbus_daemon,
    start_bus,
    start_service,
)

pytestmark = needs_dbus_daemon
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class WallClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class Setup:
    reminders: Reminders
    clock: WallClock
    server: StandInService
    control: QDBusInterface
    done: dict[str, int] = field(default_factory=dict)
    busy: list[bool] = field(default_factory=lambda: [False])
    notifier: Notifier | None = None

    def notified(self) -> list[tuple[str, ...]]:
        return [call for call in self.server.calls() if call[0] == "Notify"]

    def press(self, qtbot: QtBot, notification_id: str, key: str) -> None:
        reply = self.control.call("Press", int(notification_id), key)
        assert not reply.errorMessage(), reply.errorMessage()

    def wake(self) -> None:
        """What the single-shot timer does when it fires."""
        self.reminders.timer.timeout.emit()


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    yield from start_bus(tmp_path / "bus")


@pytest.fixture
def server(bus: str, tmp_path: Path) -> Iterator[StandInService]:
    yield from start_service(STAND_IN_NOTIFICATIONS, bus, tmp_path, "notifications")


@pytest.fixture
def setup(qtbot: QtBot, bus: str, server: StandInService) -> Iterator[Setup]:
    desktop = DesktopNotifications(bus)
    clock = WallClock(datetime(2026, 6, 1, 7, 59, tzinfo=BERLIN))
    control_bus = QDBusConnection.connectToBus(bus, "test-control")
    control = QDBusInterface(
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        "test.Control",
        control_bus,
    )
    state = Setup(None, clock, server, control)  # type: ignore[arg-type]
    state.notifier = Notifier(desktop)
    state.reminders = Reminders(
        state.notifier,
        done_today=lambda _day: state.done,
        busy=lambda: state.busy[0],
        routine_name=lambda rid: {"morning": "Morning stretches"}.get(rid, rid),
        now=clock.now,
    )
    yield state
    state.reminders.set_slots(None)
    desktop.close()
    del control
    QDBusConnection.disconnectFromBus("test-control")


MORNING = ReminderSlot(time(8, 0), "morning")


def test_a_reminder_one_minute_ahead_appears_with_both_actions(setup: Setup) -> None:
    setup.reminders.set_slots((MORNING,))
    assert setup.notified() == []
    assert setup.reminders.timer.isActive()
    assert setup.reminders.timer.interval() == 60_000  # wakes at 08:00, not by polling
    setup.clock.advance(minutes=1)
    setup.wake()
    [notify] = setup.notified()
    _, _, app_name, icon, title, body, actions, desktop_entry = notify
    assert app_name == "SI Timer"
    assert icon == desktop_entry == "io.github.si_timer.SiTimer"
    assert title == "Time for your morning stretches"
    assert "08:00" in body
    assert actions == "start|Start now|later|Later"
    setup.wake()
    assert len(setup.notified()) == 1  # once


def test_start_now_asks_for_that_routine(qtbot: QtBot, setup: Setup) -> None:
    setup.reminders.set_slots((MORNING,))
    setup.clock.advance(minutes=1)
    setup.wake()
    [notify] = setup.notified()
    with qtbot.waitSignal(setup.reminders.start_requested, timeout=5000) as started:
        setup.press(qtbot, notify[1], "start")
    assert started.args == ["morning"]
    qtbot.waitUntil(lambda: ("CloseNotification", notify[1]) in setup.server.calls())


def test_later_notifies_again_after_the_snooze(qtbot: QtBot, setup: Setup) -> None:
    setup.reminders.set_slots((MORNING,))
    setup.clock.advance(minutes=1)
    setup.wake()
    [first] = setup.notified()
    with qtbot.waitSignal(setup.reminders.schedule_changed, timeout=5000):
        setup.press(qtbot, first[1], "later")
    assert setup.reminders.timer.interval() == MAX_WAIT.total_seconds() * 1000
    setup.clock.advance(minutes=29)
    setup.wake()
    assert len(setup.notified()) == 1
    setup.clock.advance(minutes=1)
    setup.wake()
    assert len(setup.notified()) == 2
    assert setup.notified()[1][4] == first[4]


def test_a_done_slot_stays_quiet(setup: Setup) -> None:
    setup.done["morning"] = 1
    setup.reminders.set_slots((MORNING,))
    setup.clock.advance(minutes=1)
    setup.wake()
    assert setup.notified() == []


def test_quiet_during_a_session_then_offered_if_still_not_done(setup: Setup) -> None:
    setup.busy[0] = True
    setup.reminders.set_slots((MORNING,))
    setup.clock.advance(minutes=2)
    setup.wake()
    assert setup.notified() == []
    setup.busy[0] = False
    setup.wake()
    assert len(setup.notified()) == 1


@pytest.fixture
def logind(tmp_path: Path) -> Iterator[tuple[QDBusConnection, QDBusInterface]]:
    """A stand-in logind on a second private bus, playing the system bus."""
    for address in start_bus(tmp_path / "system-bus"):
        for _ in start_service(STAND_IN_LOGIND, address, tmp_path, "logind"):
            bus = QDBusConnection.connectToBus(address, "test-system")
            control = QDBusInterface(
                "org.freedesktop.login1", "/org/freedesktop/login1", "test.Control", bus
            )
            yield bus, control
            del control
            QDBusConnection.disconnectFromBus("test-system")


def test_a_slot_missed_over_sleep_fires_once_on_wake(
    qtbot: QtBot, setup: Setup, logind: tuple[QDBusConnection, QDBusInterface]
) -> None:
    bus, control = logind
    watcher = SleepWatcher(bus)
    assert watcher.listening
    watcher.woke.connect(setup.reminders.check)
    setup.clock.moment = datetime(2026, 6, 1, 7, 30, tzinfo=BERLIN)
    setup.reminders.set_slots((MORNING, ReminderSlot(time(8, 30), "morning")))
    with qtbot.waitSignal(watcher.sleep_coming, timeout=5000):
        control.call("Sleep", True)
    # Asleep through both slots; the timer never fired. Awake at 09:10.
    setup.clock.moment = datetime(2026, 6, 1, 9, 10, tzinfo=BERLIN)
    with qtbot.waitSignal(watcher.woke, timeout=5000):
        control.call("Sleep", False)
    [notify] = setup.notified()  # one, not a burst of two
    assert "08:30" in notify[5]
    setup.wake()
    assert len(setup.notified()) == 1


def test_no_notification_service_is_not_a_crash(qtbot: QtBot, bus: str) -> None:
    desktop = DesktopNotifications(bus)
    try:
        assert not desktop.available()
        notifier = Notifier(desktop)
        from si_timer.ui.system.notifications import Message

        assert not notifier.show(date(2026, 6, 1), Message("t", "b"))
    finally:
        desktop.close()


def test_local_time_carries_the_zone_rules_not_just_todays_offset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from si_timer.ui.system.reminders import local_now

    monkeypatch.setenv("TZ", "Europe/Berlin")
    now = local_now()
    assert now.tzinfo == BERLIN
    winter = datetime(2026, 1, 10, 12, tzinfo=now.tzinfo)
    summer = datetime(2026, 7, 10, 12, tzinfo=now.tzinfo)
    assert winter.utcoffset() != summer.utcoffset()


def test_a_restart_does_not_repeat_a_reminder_already_shown(setup: Setup) -> None:
    assert setup.notifier is not None
    setup.reminders.set_slots((MORNING,))
    setup.clock.advance(minutes=1)
    setup.wake()
    assert len(setup.notified()) == 1
    last = setup.reminders.last_checked
    assert last == setup.clock.now()
    setup.reminders.set_slots(None)
    # The app quits and comes back five minutes later, remembering its last check.
    setup.clock.advance(minutes=5)
    again = Reminders(
        setup.notifier,
        done_today=lambda _day: {},
        busy=lambda: False,
        routine_name=str,
        now=setup.clock.now,
        since=last,
    )
    again.set_slots((MORNING,))
    assert len(setup.notified()) == 1
    # Without that memory, login catches up on it (within the two hours).
    fresh = Reminders(
        setup.notifier,
        done_today=lambda _day: {},
        busy=lambda: False,
        routine_name=str,
        now=setup.clock.now,
    )
    fresh.set_slots((MORNING,))
    assert len(setup.notified()) == 2
    again.set_slots(None)
    fresh.set_slots(None)
