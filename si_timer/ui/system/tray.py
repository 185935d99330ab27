"""The tray icon of the background mode: today's status, the next reminder, start, open, quit.

QSystemTrayIcon speaks StatusNotifierItem on Plasma and other trays; on a
desktop without a tray (stock GNOME) there is no icon, and a second
``si-timer`` (or a notification) opens the window instead.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from si_timer import APP_DISPLAY_NAME


class Tray(QObject):
    """A tray icon and its menu; :meth:`update` rewrites the menu's text.

    Signals:
        start_requested(str): "Start …" for this routine id.
        open_requested(): open the window.
        quit_requested(): quit the app, background part and all.
    """

    start_requested = Signal(str)
    open_requested = Signal()
    quit_requested = Signal()

    def __init__(self, icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = QMenu()
        self.icon = QSystemTrayIcon(icon, self)
        self.icon.setToolTip(APP_DISPLAY_NAME)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.update("", "", [])

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def update(self, today: str, next_reminder: str, routines: list[tuple[str, str]]) -> None:
        """``routines`` are (id, name) pairs, in the home screen's order."""
        menu = self.menu
        menu.clear()
        for text in (today, next_reminder):
            if text:
                menu.addAction(text).setEnabled(False)
        if today or next_reminder:
            menu.addSeparator()
        for routine_id, name in routines:
            action = QAction(f"Start {name}", menu)
            action.triggered.connect(lambda _=False, rid=routine_id: self.start_requested.emit(rid))
            menu.addAction(action)
        if routines:
            menu.addSeparator()
        menu.addAction(f"Open {APP_DISPLAY_NAME}").triggered.connect(self.open_requested)
        menu.addAction("Quit").triggered.connect(self.quit_requested)
        self.icon.setToolTip(
            "\n".join(part for part in (APP_DISPLAY_NAME, today, next_reminder) if part)
        )

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            self.open_requested.emit()

    def close(self) -> None:
        self.icon.hide()
        self.menu.deleteLater()
