"""The part of the app that runs without its window: reminders, tray, login start, suspend.

A subsystem that starts and stops itself: :meth:`Background.start` (after the
window has painted, or at once in ``--background`` mode) connects to D-Bus and
follows the settings from then on; :meth:`Background.stop` lets go of
everything.  What it asks of the app goes through the app's own methods
(``handle_request`` to open the window or start a routine, ``tell`` for
notices).
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from si_timer import APP_DISPLAY_NAME, assets
from si_timer.config import desktop_files
from si_timer.config.files import FileProblem, read_limited, write_private
from si_timer.config.settings import Settings
from si_timer.desktop_id import APP_ID
from si_timer.history import overview
from si_timer.history.model import RoutineUsage
from si_timer.records import replace
from si_timer.session.engine import EngineState, PauseReason
from si_timer.session.reminders import ReminderSlot, default_slots
from si_timer.ui.notices import NoticeLevel
from si_timer.ui.system.notifications import DesktopNotifications, Message, Notifier
from si_timer.ui.system.reminders import Reminders, local_now
from si_timer.ui.system.tray import Tray

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

    from si_timer.ui.app import App
    from si_timer.ui.system.sleep_watch import SleepWatcher

log = logging.getLogger(__name__)

STATE_FILE = "reminders.json"  # in the cache folder: losing it costs one repeated reminder

STILL_RUNNING = (
    f"{APP_DISPLAY_NAME} keeps running for your reminders. "
    "Quit it from its tray icon, or turn this off in Settings."
)
STILL_RUNNING_NO_TRAY = (
    f"{APP_DISPLAY_NAME} keeps running for your reminders; start it again to open the window. "
    "Turn this off in Settings."
)


def reminder_slots(
    settings: Settings, routines: Mapping[str, int | None], hero: str
) -> tuple[ReminderSlot, ...]:
    """The slots in force: the person's own, else the favourite routine's times per day."""
    if settings.reminders:
        return tuple(s for s in settings.reminders if s.routine in routines)
    if hero not in routines:
        return ()
    return default_slots(hero, routines[hero])


class Background(QObject):
    """Reminders, the tray icon and suspend handling for one :class:`App`."""

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self._app = app
        self.reminders: Reminders | None = None
        self.tray: Tray | None = None
        self.desktop: DesktopNotifications | None = None
        self.sleep: SleepWatcher | None = None
        self._now: Callable[[], datetime] = local_now
        self.keep_running = False  # the window was closed and the app stays for reminders
        self._quitting = False

    # --- starting and stopping -----------------------------------------------

    def start(
        self,
        *,
        desktop: DesktopNotifications | None = None,
        sleep_bus: QDBusConnection | None = None,
        now: Callable[[], datetime] = local_now,
        tray: bool | None = None,
    ) -> None:
        """Connect to the desktop (tests pass private buses and a clock) and follow settings."""
        if self.reminders is not None:
            return
        app = self._app
        self._now = now
        try:
            self.desktop = desktop if desktop is not None else DesktopNotifications(parent=self)
        except ImportError:  # a Qt build without QtDBus: the tray's messages remain
            self.desktop = None
        # By name once installed (themes may restyle it), else the bundled file.
        icon = APP_ID if desktop_files.in_menu() else str(assets.resource("icons", "si-timer.svg"))
        notifier = Notifier(self.desktop, parent=self, icon=icon)
        self.reminders = Reminders(
            notifier,
            done_today=self.done_on,
            busy=lambda: app.runner.active,
            routine_name=self._routine_name,
            now=now,
            since=self._load_last_checked(),
            parent=self,
        )
        self.reminders.reminded.connect(lambda _occurrence: self._save_last_checked())
        self.reminders.start_requested.connect(self.start_routine)
        self.reminders.schedule_changed.connect(self.refresh_tray)
        try:
            from si_timer.ui.system.sleep_watch import SleepWatcher  # QtDBus: off the start-up path
        except ImportError:  # the engine's boot-clock check still notices a suspend
            pass
        else:
            self.sleep = SleepWatcher(sleep_bus, parent=self)
            self.sleep.sleep_coming.connect(self.pause_for_sleep)
            self.sleep.woke.connect(self.reminders.check)
        if tray if tray is not None else Tray.available():
            self.tray = Tray(QIcon(assets.window_icon_path()), self)
            self.tray.start_requested.connect(self.start_routine)
            self.tray.open_requested.connect(self.open_window)
            self.tray.quit_requested.connect(self.quit)
            self.tray.menu.aboutToShow.connect(self.refresh_tray)
            notifier.set_tray(self.tray.icon)
        app.settings_changed.connect(self._settings_changed)
        app.qapp.aboutToQuit.connect(self.stop)
        self._apply(app.settings)

    def stop(self) -> None:
        if self.reminders is not None:
            self._save_last_checked()
            self.reminders.set_slots(None)
        if self.tray is not None:
            self.tray.close()
            self.tray = None
        if self.desktop is not None:
            self.desktop.close()

    @property
    def state_file(self) -> Path:
        return self._app.paths.cache_dir / STATE_FILE

    def _load_last_checked(self) -> datetime | None:
        """The previous run's last check; anything unreadable is simply no memory."""
        try:
            raw = json.loads(read_limited(self.state_file, 4096))
            moment = datetime.fromisoformat(raw["last_checked"])
        except (OSError, FileProblem, ValueError, TypeError, KeyError):
            return None
        return moment if moment.tzinfo is not None else None

    def _save_last_checked(self) -> None:
        when = self.reminders.last_checked if self.reminders is not None else None
        if when is None:
            return
        try:
            write_private(self.state_file, json.dumps({"last_checked": when.isoformat()}) + "\n")
        except OSError as exc:  # a reminder may repeat after a restart; nothing worse
            log.info("reminder state not saved: %s", exc)

    # --- following settings --------------------------------------------------

    def _settings_changed(self, new: Settings, old: Settings) -> None:
        if new.start_at_login != old.start_at_login:
            try:
                desktop_files.set_autostart(new.start_at_login)
            except OSError as exc:
                self._app.tell(
                    "autostart",
                    f"Start at login could not be changed ({exc.strerror}).",
                    NoticeLevel.WARNING,
                    detail=str(desktop_files.autostart_file()),
                )
        if (new.reminders_on, new.reminders, new.favourite_routine) != (
            old.reminders_on,
            old.reminders,
            old.favourite_routine,  # the default times follow the favourite routine
        ):
            self._apply(new)

    def _apply(self, settings: Settings) -> None:
        assert self.reminders is not None
        self.reminders.set_slots(self.slots(settings) if settings.reminders_on else None)
        if self.tray is not None:
            if settings.reminders_on or self.keep_running or not self._app.window.isVisible():
                self.tray.show()
            else:
                self.tray.hide()
        self.refresh_tray()

    def slots(self, settings: Settings) -> tuple[ReminderSlot, ...]:
        app = self._app
        routines = {rid: r.times_per_day for rid, r in app.catalog.routines.items()}
        hero = overview.hero_routine(
            settings.favourite_routine, app.catalog.routines, self._usage()
        )
        return reminder_slots(settings, routines, hero)

    # --- what it knows -------------------------------------------------------

    def done_on(self, day: date) -> Mapping[str, int]:
        """Sessions done per routine on ``day`` (with at least one step done)."""
        store = self._app.history.store
        if store is None:
            return {}
        return Counter(s.routine for s in store.sessions_on(day) if s.segments_done)

    def _usage(self) -> dict[str, RoutineUsage]:
        store = self._app.history.store
        return store.routine_usage() if store is not None else {}

    def _routine_name(self, routine_id: str) -> str:
        routine = self._app.catalog.routines.get(routine_id)
        return routine.name if routine is not None else routine_id

    def refresh_tray(self) -> None:
        if self.tray is None or self.reminders is None:
            return
        app = self._app
        now = self._now()
        status = overview.home_status(app.history.store, app.catalog.routines, now).status
        upcoming = self.reminders.next_reminder()
        if upcoming is None:
            nxt = "Reminders are off" if not app.settings.reminders_on else ""
        else:
            when = f"{upcoming.slot.at:%H:%M}"
            if upcoming.day != now.date():
                when = f"{upcoming.day:%a} {when}"
            nxt = f"Next reminder: {when}, {self._routine_name(upcoming.slot.routine)}"
        routines = [(rid, r.name) for rid, r in app.catalog.routines.items()]
        self.tray.update(status, nxt, routines)

    # --- what it does --------------------------------------------------------

    def start_routine(self, routine_id: str) -> None:
        self.keep_running = False
        self._app.handle_request({"command": "start", "routine": routine_id})

    def open_window(self) -> None:
        self.keep_running = False
        self._app.handle_request({"command": "open"})

    def quit(self) -> None:
        self.keep_running = False
        self._quitting = True
        window = self._app.window
        if window.isVisible():
            window.close()  # asks first when a session runs; shuts the app down
            if window.isVisible():
                return
        else:
            self._app.shut_down()
        QApplication.quit()

    def pause_for_sleep(self) -> None:
        """logind says suspend is coming: pause a counting session before it freezes."""
        run = self._app.runner.run
        if run is not None and run.ended is None and run.engine.state is EngineState.RUNNING:
            run.controller.pause(PauseReason.SLEPT)
            log.info("paused the session: the computer is going to sleep")

    def window_closed(self) -> bool:
        """The window is closing: True when the app stays for reminders (says so once)."""
        settings = self._app.settings
        if self._quitting or not (
            settings.reminders_on and settings.run_in_background and self.reminders
        ):
            return False
        self.keep_running = True
        if not settings.background_explained:
            text = STILL_RUNNING if self.tray is not None else STILL_RUNNING_NO_TRAY
            shown = self.desktop is not None and self.desktop.notify(
                Message(APP_DISPLAY_NAME, text)
            )
            if not shown and self.tray is not None:
                self.tray.icon.showMessage(APP_DISPLAY_NAME, text)
            self._app.update_settings(replace(settings, background_explained=True))
        if self.tray is not None:
            self.tray.show()
        return True

    def offer_menu_entry(self) -> None:
        """Once, on Linux and BSD: say how to put the app in the menu when it is not there."""
        app = self._app
        if sys.platform in ("win32", "darwin") or app.settings.menu_entry_offered:
            return
        if not app.settings.safety_acknowledged or desktop_files.in_menu():
            return
        app.tell(
            "menu-entry",
            f"{APP_DISPLAY_NAME} is not in your applications menu yet.",
            NoticeLevel.INFO,
            detail="Run `si-timer desktop install` once to add it (and its icon); "
            "`si-timer desktop uninstall` takes it out again.",
        )
        app.update_settings(replace(app.settings, menu_entry_offered=True))
