"""Keeps the screen from blanking while a session runs (nobody touches the laptop).

One small backend per platform behind :class:`ScreenKeeper`: the freedesktop
``org.freedesktop.ScreenSaver`` D-Bus service on Linux and BSD,
``SetThreadExecutionState`` on Windows and an IOKit power assertion on macOS.
When none works the session still runs; one note is logged.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from typing import Protocol

from PySide6.QtCore import Q_ARG, QMetaObject, Qt
from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

from si_timer import APP_DISPLAY_NAME

log = logging.getLogger(__name__)


class KeepAwakeUnavailable(Exception):
    """The platform cannot keep the screen awake; the message says why."""


class KeepAwakeBackend(Protocol):
    """One platform's way of holding the screen awake."""

    def inhibit(self, app_name: str, reason: str) -> None:
        """Start holding; raise :class:`KeepAwakeUnavailable` if impossible."""

    def release(self) -> None:
        """Stop holding (only called after a successful :meth:`inhibit`)."""

    def close(self) -> None:
        """Free whatever the backend holds open."""


class ScreenKeeper:
    """Holds the screen awake between :meth:`inhibit` and :meth:`release`.

    Both calls are idempotent and never raise.  On Linux they are short
    synchronous D-Bus calls (measured here: 6 ms for the first, which
    connects and introspects the service, then 0.2 ms).  Calls give up after
    one second; only the one-time introspection uses Qt's fixed 25 s D-Bus
    timeout, which matters only if a screensaver service hangs.

    If the screen cannot be held, the first failure is logged once (logger
    ``si_timer.ui.system.keep_awake``) and later ones quietly; each :meth:`inhibit`
    still tries, as a screensaver service may start later.
    ``bus_address`` picks the D-Bus bus on Linux (tests use a private one);
    the default is the session bus.
    """

    def __init__(
        self,
        app_name: str = APP_DISPLAY_NAME,
        *,
        bus_address: str | None = None,
        backend: KeepAwakeBackend | None = None,
    ) -> None:
        self._app_name = app_name
        self._backend = backend if backend is not None else _platform_backend(bus_address)
        self._active = False
        self._reported = False

    @property
    def active(self) -> bool:
        """Whether the screen is being held awake right now."""
        return self._active

    def inhibit(self, reason: str) -> bool:
        """Hold the screen awake; returns whether it is now held."""
        if self._active:
            return True
        try:
            self._backend.inhibit(self._app_name, reason)
        except KeepAwakeUnavailable as error:
            self._note(str(error))
            return False
        self._active = True
        return True

    def release(self) -> None:
        """Let the screen blank again as the desktop's settings say."""
        if not self._active:
            return
        self._active = False
        try:
            self._backend.release()
        except KeepAwakeUnavailable as error:
            self._note(str(error))

    def close(self) -> None:
        """Release and free the backend (e.g. a private D-Bus connection)."""
        self.release()
        self._backend.close()

    def _note(self, message: str) -> None:
        if self._reported:
            log.debug("keep-awake problem (already noted): %s", message)
            return
        self._reported = True
        log.info("The screen may blank during sessions: %s", message)


def _platform_backend(bus_address: str | None) -> KeepAwakeBackend:
    # if/elif/else so that mypy, checking for one platform, skips the others.
    if sys.platform == "win32":
        return WindowsBackend()
    elif sys.platform == "darwin":
        return MacBackend()
    else:
        return FreedesktopBackend(bus_address)


class FreedesktopBackend:
    """``org.freedesktop.ScreenSaver`` Inhibit/UnInhibit on a D-Bus bus.

    GNOME, KDE, Xfce and most other desktops implement it, and they drop
    the inhibition by themselves if this process dies.
    """

    SERVICE = "org.freedesktop.ScreenSaver"
    PATH = "/org/freedesktop/ScreenSaver"
    INTERFACE = "org.freedesktop.ScreenSaver"
    # A local bus answers in about a millisecond; never let a stuck
    # screensaver service hold up the countdown for longer than this.
    TIMEOUT_MS = 1000

    def __init__(self, bus_address: str | None = None) -> None:
        self._bus_address = bus_address
        self._connection_name = f"si-timer-keep-awake-{id(self):x}"
        self._bus: QDBusConnection | None = None
        self._interface: QDBusInterface | None = None
        self._cookie: int | None = None

    @property
    def cookie(self) -> int | None:
        """The service's cookie for the current inhibition, if any."""
        return self._cookie

    def inhibit(self, app_name: str, reason: str) -> None:
        interface = self._ensure_interface()
        reply = interface.call("Inhibit", app_name, reason)
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            raise KeepAwakeUnavailable(f"{self.SERVICE}.Inhibit failed: {reply.errorMessage()}")
        arguments = reply.arguments()
        if not arguments or not isinstance(arguments[0], int):
            raise KeepAwakeUnavailable(f"{self.SERVICE}.Inhibit returned no cookie")
        self._cookie = arguments[0]

    def release(self) -> None:
        cookie, self._cookie = self._cookie, None
        if cookie is None or self._interface is None:
            return
        # Workaround: PySide6 sends a Python int as a D-Bus int32 ("i"), and
        # UnInhibit takes a uint32 ("u"); services reject the call with
        # "No such method".  A meta-call through the interface's introspected
        # UnInhibit(uint) slot makes Qt marshal it as "u".
        called = QMetaObject.invokeMethod(
            self._interface,
            "UnInhibit",
            Qt.ConnectionType.DirectConnection,
            Q_ARG("uint", cookie),
        )
        if not called:
            raise KeepAwakeUnavailable(f"{self.SERVICE}.UnInhibit could not be called")
        error = self._interface.lastError()
        if error.isValid():
            raise KeepAwakeUnavailable(f"{self.SERVICE}.UnInhibit failed: {error.message()}")

    def close(self) -> None:
        self._interface = None
        if self._bus is not None and self._bus_address is not None:
            QDBusConnection.disconnectFromBus(self._connection_name)
        self._bus = None

    def _ensure_interface(self) -> QDBusInterface:
        if self._interface is not None and self._interface.isValid():
            return self._interface
        if self._bus is None:
            self._bus = (
                QDBusConnection.sessionBus()
                if self._bus_address is None
                else QDBusConnection.connectToBus(self._bus_address, self._connection_name)
            )
        if not self._bus.isConnected():
            where = "the session bus" if self._bus_address is None else self._bus_address
            raise KeepAwakeUnavailable(
                f"cannot connect to D-Bus ({where}): {self._bus.lastError().message()}"
            )
        # Asking the bus first is quick and, unlike introspecting a missing
        # name, never starts D-Bus service activation.
        registered = self._bus.interface().isServiceRegistered(self.SERVICE)
        if not registered.value():
            raise KeepAwakeUnavailable(f"no {self.SERVICE} service on D-Bus")
        # Introspects the service (one round trip) so that UnInhibit's
        # argument types are known; see release().
        interface = QDBusInterface(self.SERVICE, self.PATH, self.INTERFACE, self._bus)
        interface.setTimeout(self.TIMEOUT_MS)
        if not interface.isValid():
            raise KeepAwakeUnavailable(
                f"no {self.SERVICE} service on D-Bus: {interface.lastError().message()}"
            )
        self._interface = interface
        return interface


class WindowsBackend:
    """``SetThreadExecutionState``: display and system stay on while set.

    The state belongs to the calling thread, so inhibit and release must be
    called from the same (GUI) thread, which is how ScreenKeeper is used.
    """

    ES_CONTINUOUS = 0x80000000
    ES_SYSTEM_REQUIRED = 0x00000001
    ES_DISPLAY_REQUIRED = 0x00000002

    def inhibit(self, app_name: str, reason: str) -> None:
        self._set(self.ES_CONTINUOUS | self.ES_DISPLAY_REQUIRED | self.ES_SYSTEM_REQUIRED)

    def release(self) -> None:
        self._set(self.ES_CONTINUOUS)

    def close(self) -> None:
        pass

    def _set(self, flags: int) -> None:
        if sys.platform == "win32":
            set_state = ctypes.windll.kernel32.SetThreadExecutionState
            set_state.argtypes = [ctypes.c_uint32]
            set_state.restype = ctypes.c_uint32
            if set_state(flags) == 0:  # returns the previous state, or 0 on failure
                raise KeepAwakeUnavailable("SetThreadExecutionState failed")
        else:
            raise KeepAwakeUnavailable("SetThreadExecutionState exists only on Windows")


class MacBackend:
    """An IOKit ``PreventUserIdleDisplaySleep`` power assertion."""

    ASSERTION_TYPE = b"PreventUserIdleDisplaySleep"
    ASSERTION_LEVEL_ON = 255
    CF_STRING_ENCODING_UTF8 = 0x08000100

    def __init__(self) -> None:
        self._assertion: int | None = None
        self._libs: tuple[ctypes.CDLL, ctypes.CDLL] | None = None

    def inhibit(self, app_name: str, reason: str) -> None:
        iokit, cf = self._libraries()
        kind = cf.CFStringCreateWithCString(None, self.ASSERTION_TYPE, self.CF_STRING_ENCODING_UTF8)
        name = cf.CFStringCreateWithCString(
            None, f"{app_name}: {reason}".encode(), self.CF_STRING_ENCODING_UTF8
        )
        assertion = ctypes.c_uint32(0)
        try:
            if not kind or not name:
                raise KeepAwakeUnavailable("CFStringCreateWithCString failed")
            result = iokit.IOPMAssertionCreateWithName(
                kind, self.ASSERTION_LEVEL_ON, name, ctypes.byref(assertion)
            )
        finally:
            for string in (kind, name):
                if string:
                    cf.CFRelease(string)
        if result != 0:
            raise KeepAwakeUnavailable(f"IOPMAssertionCreateWithName failed ({result:#x})")
        self._assertion = assertion.value

    def release(self) -> None:
        assertion, self._assertion = self._assertion, None
        if assertion is not None:
            iokit, _ = self._libraries()
            iokit.IOPMAssertionRelease(assertion)

    def close(self) -> None:
        pass

    def _libraries(self) -> tuple[ctypes.CDLL, ctypes.CDLL]:
        if self._libs is not None:
            return self._libs
        iokit_path = ctypes.util.find_library("IOKit")
        cf_path = ctypes.util.find_library("CoreFoundation")
        if iokit_path is None or cf_path is None:
            raise KeepAwakeUnavailable("IOKit is not available")
        iokit = ctypes.CDLL(iokit_path)
        cf = ctypes.CDLL(cf_path)
        # Declared so that 64-bit pointers are not truncated to C int.
        cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
        cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        cf.CFRelease.argtypes = [ctypes.c_void_p]
        cf.CFRelease.restype = None
        iokit.IOPMAssertionCreateWithName.argtypes = [
            ctypes.c_void_p,
            ctypes.c_uint32,
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_uint32),
        ]
        iokit.IOPMAssertionCreateWithName.restype = ctypes.c_int32
        iokit.IOPMAssertionRelease.argtypes = [ctypes.c_uint32]
        iokit.IOPMAssertionRelease.restype = ctypes.c_int32
        self._libs = (iokit, cf)
        return self._libs
