"""Media keys and headset buttons from anywhere: an MPRIS player on the session bus.

Desktops (GNOME, KDE, most others) send media keys and Bluetooth headset
buttons to MPRIS players over D-Bus, whichever window has focus; on Wayland
that is the only way an unfocused app hears them.  The object here answers
``org.mpris.MediaPlayer2`` and ``org.mpris.MediaPlayer2.Player`` itself (a
:class:`QDBusVirtualObject`, so each reply carries exactly the D-Bus types the
specification asks for) and turns every call into one :class:`Command`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QMetaType, QObject, Signal
from PySide6.QtDBus import (
    QDBusArgument,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
    QDBusVariant,
    QDBusVirtualObject,
)

from si_timer.session.commands import Command

log = logging.getLogger("si_timer")

BUS_NAME = "org.mpris.MediaPlayer2.si_timer"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"
INTROSPECTABLE_INTERFACE = "org.freedesktop.DBus.Introspectable"
TRACK_ID = "/io/github/si_timer/session"


class PlaybackStatus(StrEnum):
    PLAYING = "Playing"
    PAUSED = "Paused"
    STOPPED = "Stopped"  # no session


# What each Player method asks of a session.  Stop pauses (ending a session takes a
# question at the screen; a headset button must never throw the work away).
METHOD_COMMANDS: Mapping[str, Command] = {
    "PlayPause": Command.PAUSE,
    "Play": Command.PLAY,
    "Pause": Command.HALT,
    "Stop": Command.HALT,
    "Next": Command.NEXT,
    "Previous": Command.PREVIOUS,
}

_INTROSPECTION = """\
<interface name="org.mpris.MediaPlayer2">
  <method name="Raise"/>
  <method name="Quit"/>
  <property name="CanQuit" type="b" access="read"/>
  <property name="CanRaise" type="b" access="read"/>
  <property name="HasTrackList" type="b" access="read"/>
  <property name="Identity" type="s" access="read"/>
  <property name="DesktopEntry" type="s" access="read"/>
  <property name="SupportedUriSchemes" type="as" access="read"/>
  <property name="SupportedMimeTypes" type="as" access="read"/>
</interface>
<interface name="org.mpris.MediaPlayer2.Player">
  <method name="Next"/>
  <method name="Previous"/>
  <method name="Pause"/>
  <method name="PlayPause"/>
  <method name="Stop"/>
  <method name="Play"/>
  <method name="Seek"><arg name="Offset" type="x" direction="in"/></method>
  <method name="SetPosition">
    <arg name="TrackId" type="o" direction="in"/>
    <arg name="Position" type="x" direction="in"/>
  </method>
  <method name="OpenUri"><arg name="Uri" type="s" direction="in"/></method>
  <signal name="Seeked"><arg name="Position" type="x"/></signal>
  <property name="PlaybackStatus" type="s" access="read"/>
  <property name="Rate" type="d" access="read"/>
  <property name="Metadata" type="a{sv}" access="read"/>
  <property name="Volume" type="d" access="read"/>
  <property name="MinimumRate" type="d" access="read"/>
  <property name="MaximumRate" type="d" access="read"/>
  <property name="CanGoNext" type="b" access="read"/>
  <property name="CanGoPrevious" type="b" access="read"/>
  <property name="CanPlay" type="b" access="read"/>
  <property name="CanPause" type="b" access="read"/>
  <property name="CanSeek" type="b" access="read"/>
  <property name="CanControl" type="b" access="read"/>
</interface>
"""


class _Object(QDBusVirtualObject):
    """Answers every message to the player's object path for :class:`MprisPlayer`."""

    def __init__(self, player: MprisPlayer) -> None:
        super().__init__(player)
        self._player = player

    def introspect(self, path: str) -> str:
        return _INTROSPECTION if path == OBJECT_PATH else ""

    def handleMessage(self, message: QDBusMessage, connection: QDBusConnection) -> bool:
        reply = self._player.answer(message)
        if reply is None:
            return False
        connection.send(reply)
        return True


class MprisPlayer(QObject):
    """The app as an MPRIS media player: registered while a session is open.

    Signals:
        command_requested(Command): a media key or headset button asked for this.
        raise_requested(): the desktop asked to bring the window to the front.
    """

    command_requested = Signal(Command)
    raise_requested = Signal()

    def __init__(
        self,
        *,
        identity: str,
        desktop_entry: str,
        bus_address: str | None = None,
        bus_name: str = BUS_NAME,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._identity = identity
        self._desktop_entry = desktop_entry
        self._bus_address = bus_address
        self._bus_name = bus_name
        self._connection_name = f"si-timer-mpris-{id(self):x}"
        self._bus: QDBusConnection | None = None
        self._object = _Object(self)
        self._registered = False
        self._status = PlaybackStatus.STOPPED
        self._title = ""

    # --- registration ------------------------------------------------------

    @property
    def registered(self) -> bool:
        return self._registered

    def register(self) -> bool:
        """Take the bus name (a session began); False, with a note in the log, when the
        session bus or the name is not to be had: media keys then work only with focus."""
        if self._registered:
            return True
        bus = self._connect()
        if bus is None:
            return False
        if not bus.registerVirtualObject(OBJECT_PATH, self._object):
            log.info("media keys from other windows are off: %s", bus.lastError().message())
            return False
        if not bus.registerService(self._bus_name):
            log.info(
                "media keys from other windows are off: the name %s is taken (%s)",
                self._bus_name,
                bus.lastError().message(),
            )
            bus.unregisterObject(OBJECT_PATH)
            return False
        self._registered = True
        return True

    def unregister(self) -> None:
        """Give the bus name back (the session is over)."""
        if not self._registered or self._bus is None:
            return
        self._registered = False
        self._bus.unregisterService(self._bus_name)
        self._bus.unregisterObject(OBJECT_PATH)

    def close(self) -> None:
        self.unregister()
        if self._bus is not None and self._bus_address is not None:
            QDBusConnection.disconnectFromBus(self._connection_name)
        self._bus = None

    def _connect(self) -> QDBusConnection | None:
        if self._bus is None:
            self._bus = (
                QDBusConnection.sessionBus()
                if self._bus_address is None
                else QDBusConnection.connectToBus(self._bus_address, self._connection_name)
            )
        if not self._bus.isConnected():
            log.info(
                "media keys from other windows are off: no session bus (%s)",
                self._bus.lastError().message(),
            )
            return None
        return self._bus

    # --- state -------------------------------------------------------------

    @property
    def status(self) -> PlaybackStatus:
        return self._status

    def set_status(self, status: PlaybackStatus, title: str | None = None) -> None:
        """What the desktop shows (the session's state and routine); announced with
        ``PropertiesChanged`` when it changes."""
        changed: dict[str, Any] = {}
        if status is not self._status:
            self._status = status
            changed["PlaybackStatus"] = status.value
        if title is not None and title != self._title:
            self._title = title
            changed["Metadata"] = self._metadata()
        if changed and self._registered and self._bus is not None:
            signal = QDBusMessage.createSignal(
                OBJECT_PATH, PROPERTIES_INTERFACE, "PropertiesChanged"
            )
            signal.setArguments([PLAYER_INTERFACE, changed, _no_strings()])
            self._bus.send(signal)

    def _metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"mpris:trackid": QDBusObjectPath(TRACK_ID)}
        if self._title:
            meta["xesam:title"] = self._title
            meta["xesam:artist"] = [self._identity]
        return meta

    def _properties(self, interface: str) -> dict[str, Any] | None:
        if interface == ROOT_INTERFACE:
            return {
                "CanQuit": False,
                "CanRaise": True,
                "HasTrackList": False,
                "Identity": self._identity,
                "DesktopEntry": self._desktop_entry,
                "SupportedUriSchemes": _no_strings(),
                "SupportedMimeTypes": _no_strings(),
            }
        if interface == PLAYER_INTERFACE:
            session = self._status is not PlaybackStatus.STOPPED
            return {
                "PlaybackStatus": self._status.value,
                "Rate": 1.0,
                "Metadata": self._metadata(),
                "Volume": 1.0,
                "MinimumRate": 1.0,
                "MaximumRate": 1.0,
                "CanGoNext": session,
                "CanGoPrevious": session,
                "CanPlay": session,
                "CanPause": session,
                "CanSeek": False,
                "CanControl": True,
            }
        return None

    # --- calls -------------------------------------------------------------

    def answer(self, message: QDBusMessage) -> QDBusMessage | None:
        """The reply to one call to the player's object (None: not ours to answer)."""
        if message.type() != QDBusMessage.MessageType.MethodCallMessage:
            return None
        interface, member, args = message.interface(), message.member(), message.arguments()
        if interface == INTROSPECTABLE_INTERFACE and member == "Introspect":
            return _reply(message, _full_introspection())
        if interface == PROPERTIES_INTERFACE:
            return self._answer_properties(message, member, args)
        if interface in (PLAYER_INTERFACE, "") and member in METHOD_COMMANDS:
            self.command_requested.emit(METHOD_COMMANDS[member])
            return message.createReply()
        if interface in (PLAYER_INTERFACE, "") and member in ("Seek", "SetPosition", "OpenUri"):
            return message.createReply()  # a session cannot seek; the spec says: ignore
        if interface in (ROOT_INTERFACE, "") and member == "Raise":
            self.raise_requested.emit()
            return message.createReply()
        if interface in (ROOT_INTERFACE, "") and member == "Quit":
            return message.createReply()  # CanQuit is false: quitting asks at the window
        return message.createErrorReply(
            "org.freedesktop.DBus.Error.UnknownMethod", f"no method {interface}.{member}"
        )

    def _answer_properties(
        self, message: QDBusMessage, member: str, args: list[Any]
    ) -> QDBusMessage:
        if member == "GetAll" and len(args) == 1:
            props = self._properties(str(args[0]))
            if props is not None:
                return _reply(message, props)
        elif member == "Get" and len(args) == 2:
            props = self._properties(str(args[0]))
            if props is not None and str(args[1]) in props:
                return _reply(message, QDBusVariant(props[str(args[1])]))
        elif member == "Set":
            return message.createErrorReply(
                "org.freedesktop.DBus.Error.PropertyReadOnly", "the properties are read-only"
            )
        return message.createErrorReply(
            "org.freedesktop.DBus.Error.UnknownProperty", f"no such property: {args}"
        )


def _no_strings() -> QDBusArgument:
    # An empty "as": PySide6 sends an empty Python list as "av", which the specification's
    # signatures (PropertiesChanged is "sa{sv}as") do not allow.
    arg = QDBusArgument()
    arg.beginArray(QMetaType(QMetaType.Type.QString))
    arg.endArray()
    return arg


def _reply(message: QDBusMessage, *values: Any) -> QDBusMessage:
    # Built with setArguments: createReply([...]) picks the QVariant overload in PySide6
    # and sends the list itself as one "av" argument.
    reply = message.createReply()
    reply.setArguments(list(values))
    return reply


def _full_introspection() -> str:
    return (
        '<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n'
        ' "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n'
        "<node>\n"
        f'<interface name="{INTROSPECTABLE_INTERFACE}">'
        '<method name="Introspect"><arg name="xml" type="s" direction="out"/></method>'
        "</interface>\n"
        f'<interface name="{PROPERTIES_INTERFACE}">'
        '<method name="Get"><arg name="interface" type="s" direction="in"/>'
        '<arg name="name" type="s" direction="in"/>'
        '<arg name="value" type="v" direction="out"/></method>'
        '<method name="GetAll"><arg name="interface" type="s" direction="in"/>'
        '<arg name="properties" type="a{sv}" direction="out"/></method>'
        '<method name="Set"><arg name="interface" type="s" direction="in"/>'
        '<arg name="name" type="s" direction="in"/>'
        '<arg name="value" type="v" direction="in"/></method>'
        '<signal name="PropertiesChanged"><arg name="interface" type="s"/>'
        '<arg name="changed" type="a{sv}"/><arg name="invalidated" type="as"/></signal>'
        "</interface>\n" + _INTROSPECTION + "</node>\n"
    )
