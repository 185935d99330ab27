"""Desktop notifications with buttons: ``org.freedesktop.Notifications`` over D-Bus.

GNOME, KDE, Xfce, dunst and mako all implement the service; a notification
with actions ("Start now", "Later") reports the button pressed through the
``ActionInvoked`` signal.  Where there is no such service (Windows, macOS, a
bare window manager) :class:`Notifier` falls back to the tray icon's message.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QSystemTrayIcon

from si_timer import APP_DISPLAY_NAME
from si_timer.desktop_id import APP_ID
from si_timer.records import record

if TYPE_CHECKING:
    # QtDBus loads only when a bus is used: the tray fallback needs none of it.
    from PySide6.QtDBus import QDBusInterface

log = logging.getLogger(__name__)


class Action(StrEnum):
    """The buttons of a reminder; the values are the D-Bus action keys."""

    START = "start"
    LATER = "later"


@record(frozen=True)
class Message:
    title: str
    body: str
    actions: tuple[tuple[Action, str], ...] = ()  # (key, button label)


class DesktopNotifications(QObject):
    """The freedesktop notification service on one bus (tests pass a private one).

    Signals:
        action_invoked(int, str): a notification's id and the action key pressed.
        closed(int): a notification went away (dismissed, expired or acted on).
    """

    action_invoked = Signal(int, str)
    closed = Signal(int)

    SERVICE = "org.freedesktop.Notifications"
    PATH = "/org/freedesktop/Notifications"
    INTERFACE = "org.freedesktop.Notifications"
    TIMEOUT_MS = 2000

    def __init__(self, bus_address: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtDBus import QDBusConnection

        self._bus_address = bus_address
        self._connection_name = f"si-timer-notifications-{id(self):x}"
        self._bus = (
            QDBusConnection.sessionBus()
            if bus_address is None
            else QDBusConnection.connectToBus(bus_address, self._connection_name)
        )
        self._interface: QDBusInterface | None = None
        self._mine: set[int] = set()
        if self._bus.isConnected():
            for name, slot in (
                ("ActionInvoked", "_on_action(uint,QString)"),
                ("NotificationClosed", "_on_closed(uint,uint)"),
            ):
                # The stubs say bytes, but PySide6 accepts only str here.
                self._bus.connect(  # type: ignore[call-overload]
                    self.SERVICE, self.PATH, self.INTERFACE, name, self, f"1{slot}"
                )

    def available(self) -> bool:
        """Whether a notification service answers on the bus right now."""
        return self._ensure_interface() is not None

    def notify(self, message: Message, icon: str = APP_ID) -> int | None:
        """Show ``message``; its id, or None when there is no service (logged)."""
        interface = self._ensure_interface()
        if interface is None:
            return None
        actions: list[str] = []
        for key, label in message.actions:
            actions += [key.value, label]
        hints = {"desktop-entry": APP_ID, "urgency": 1}
        # PySide6 would send 0 as int32 where Notify wants a uint32 (replaces_id);
        # a meta-call through the introspected slot marshals each argument by its
        # declared D-Bus type (the same workaround as ScreenSaver.UnInhibit).
        notification_id = QMetaObject.invokeMethod(
            interface,
            "Notify",
            Qt.ConnectionType.DirectConnection,
            Q_RETURN_ARG("uint"),
            Q_ARG("QString", APP_DISPLAY_NAME),
            Q_ARG("uint", 0),
            Q_ARG("QString", icon),
            Q_ARG("QString", message.title),
            Q_ARG("QString", message.body),
            Q_ARG("QStringList", actions),
            Q_ARG("QVariantMap", hints),
            Q_ARG("int", -1),
        )
        error = interface.lastError()
        if error.isValid() or not isinstance(notification_id, int):
            log.info("a notification could not be shown: %s", error.message())
            return None
        self._mine.add(notification_id)
        return notification_id

    def close_notification(self, notification_id: int) -> None:
        interface = self._ensure_interface()
        if interface is not None:
            QMetaObject.invokeMethod(
                interface,
                "CloseNotification",
                Qt.ConnectionType.DirectConnection,
                Q_ARG("uint", notification_id),
            )

    def close(self) -> None:
        from PySide6.QtDBus import QDBusConnection

        self._interface = None
        if self._bus_address is not None:
            QDBusConnection.disconnectFromBus(self._connection_name)

    @Slot("uint", str)
    def _on_action(self, notification_id: int, key: str) -> None:
        if notification_id in self._mine:
            self.action_invoked.emit(notification_id, key)

    @Slot("uint", "uint")
    def _on_closed(self, notification_id: int, _reason: int) -> None:
        if notification_id in self._mine:
            self._mine.discard(notification_id)
            self.closed.emit(notification_id)

    def _ensure_interface(self) -> QDBusInterface | None:
        if self._interface is not None and self._interface.isValid():
            return self._interface
        if not self._bus.isConnected():
            return None
        registered = self._bus.interface().isServiceRegistered(self.SERVICE)
        if not registered.value():
            return None
        from PySide6.QtDBus import QDBusInterface

        interface = QDBusInterface(self.SERVICE, self.PATH, self.INTERFACE, self._bus)
        interface.setTimeout(self.TIMEOUT_MS)
        if not interface.isValid():
            return None
        self._interface = interface
        return interface


class Notifier(QObject):
    """Shows a reminder by the best means there is: D-Bus, else the tray's balloon.

    A tray balloon has no buttons: clicking it counts as "Start now".

    ``icon`` is the app's icon name, found once the app is in the menu
    (``si-timer desktop install``); before that, pass the bundled file's path.

    Signals:
        action_chosen(object, object): the message's tag and the :class:`Action` chosen.
    """

    action_chosen = Signal(object, object)

    def __init__(
        self,
        desktop: DesktopNotifications | None,
        tray: QSystemTrayIcon | None = None,
        parent: QObject | None = None,
        *,
        icon: str = APP_ID,
    ) -> None:
        super().__init__(parent)
        self._desktop = desktop
        self._tray = tray
        self.icon = icon  # an icon theme name, or a file path
        self._tags: dict[int, object] = {}
        self._balloon_tag: object | None = None
        if desktop is not None:
            desktop.action_invoked.connect(self._invoked)
            desktop.closed.connect(lambda nid: self._tags.pop(nid, None))
        if tray is not None:
            tray.messageClicked.connect(self._balloon_clicked)

    def set_tray(self, tray: QSystemTrayIcon | None) -> None:
        if self._tray is not None:
            self._tray.messageClicked.disconnect(self._balloon_clicked)
        self._tray = tray
        if tray is not None:
            tray.messageClicked.connect(self._balloon_clicked)

    def show(self, tag: object, message: Message) -> bool:
        """Show ``message`` about ``tag``; False when there was no way to show it."""
        if self._desktop is not None:
            notification_id = self._desktop.notify(message, self.icon)
            if notification_id is not None:
                self._tags[notification_id] = tag
                return True
        if self._tray is not None and self._tray.isVisible():
            self._balloon_tag = tag
            self._tray.showMessage(message.title, message.body, self._tray.icon(), 30_000)
            return True
        log.info("no way to show a reminder (no notification service, no tray)")
        return False

    def _invoked(self, notification_id: int, key: str) -> None:
        tag = self._tags.pop(notification_id, None)
        action: Action | None
        try:
            action = Action(key)
        except ValueError:
            action = Action.START if key == "default" else None  # a click on the body
        if tag is not None and action is not None:
            if self._desktop is not None:
                self._desktop.close_notification(notification_id)
            self.action_chosen.emit(tag, action)

    def _balloon_clicked(self) -> None:
        tag, self._balloon_tag = self._balloon_tag, None
        if tag is not None:
            self.action_chosen.emit(tag, Action.START)
