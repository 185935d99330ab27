"""The app's reverse-DNS id: desktop file, AppStream component, icon and D-Bus names agree.

Wayland compositors match a window to its desktop entry (and so its icon) by
this id, passed to ``QGuiApplication.setDesktopFileName``.
"""

from __future__ import annotations

from typing import Final

APP_ID: Final = "io.github.si_timer.SiTimer"
DESKTOP_FILE: Final = f"{APP_ID}.desktop"
METAINFO_FILE: Final = f"{APP_ID}.metainfo.xml"
ICON_NAME: Final = APP_ID  # installed as hicolor/scalable/apps/<id>.svg
