"""Hears the computer going to sleep and waking: logind's ``PrepareForSleep`` on the system bus.

logind sends ``PrepareForSleep(true)`` just before suspend and
``PrepareForSleep(false)`` after resume.  Without logind (other platforms,
containers) nothing is heard, and the session engine's boot-clock check still
notices a suspend after the fact.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.login1"
PATH = "/org/freedesktop/login1"
INTERFACE = "org.freedesktop.login1.Manager"


class SleepWatcher(QObject):
    """Listens on ``bus`` (the system bus unless a test passes a private one).

    Signals:
        sleep_coming(): the computer is about to suspend.
        woke(): the computer has resumed.
    """

    sleep_coming = Signal()
    woke = Signal()

    def __init__(self, bus: QDBusConnection | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus if bus is not None else QDBusConnection.systemBus()
        # The stubs say bytes, but PySide6 accepts only str for the slot.
        self.listening = self._bus.isConnected() and self._bus.connect(  # type: ignore[call-overload]
            SERVICE, PATH, INTERFACE, "PrepareForSleep", self, "1_prepare(bool)"
        )
        if not self.listening:
            log.debug("not listening for suspend: %s", self._bus.lastError().message())

    @Slot(bool)
    def _prepare(self, going: bool) -> None:
        if going:
            self.sleep_coming.emit()
        else:
            self.woke.emit()
