"""The main window: pages (home, player, summary, history), menus and keys.

Holds no session logic: menu items and keys become signals or calls on the
pages; the composition root (:mod:`si_timer.ui.app`) decides what they do.

Each page is built the first time it is asked for (``window.home``,
``window.player``, ``window.summary``), and ``page_built`` says so, so the
composition root wires a page when it exists: the first paint costs only the
page it shows (home, or the player for ``si-timer start``), and a page's
imports load with it.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from si_timer import APP_DISPLAY_NAME
from si_timer.config.files import FileProblem, parse_json, read_limited, write_private
from si_timer.session.commands import Command
from si_timer.ui.notices import NoticeBanner, NoticeBoard
from si_timer.ui.theme import Palette

if TYPE_CHECKING:
    from si_timer.ui.home import HomeScreen
    from si_timer.ui.session.player import PlayerScreen
    from si_timer.ui.session.summary import SummaryScreen

_MAX_STATE_BYTES = 64 * 1024  # a saved geometry is a few hundred bytes
BIG_SCREEN_LINES = 1080  # from here on the first window takes a share, not the whole screen
BIG_SCREEN_SHARE = 0.8
MAX_FIRST_SIZE = QSize(1920, 1200)


def default_geometry(free: QRect) -> QRect:
    """Where the first window goes on a screen whose free area is ``free``."""
    if free.height() < BIG_SCREEN_LINES:
        return QRect(free)
    size = QSize(
        min(MAX_FIRST_SIZE.width(), round(free.width() * BIG_SCREEN_SHARE)),
        min(MAX_FIRST_SIZE.height(), round(free.height() * BIG_SCREEN_SHARE)),
    )
    place = QRect(QPoint(0, 0), size)
    place.moveCenter(free.center())
    return place


class MainWindow(QMainWindow):
    """Signals:
    session_command(Command): a session key was pressed (Space, arrows, Shift+arrows, media keys,
        Enter, +, H, Esc); only sent while the player page is shown.
    mute_toggled(): M.
    settings_requested(), safety_requested(), tips_requested(), history_requested(),
    home_requested(), browser_requested(),
    export_requested(), import_requested(), share_requested(), routine_import_requested(),
    handout_requested(), report_requested(), about_requested(): menu items.
    closing(): the window is about to close.
    page_built(QWidget): ``home``, ``player`` or ``summary`` was just built (on first use).
    """

    session_command = Signal(Command)
    mute_toggled = Signal()
    settings_requested = Signal()
    safety_requested = Signal()
    tips_requested = Signal()
    history_requested = Signal()
    home_requested = Signal()
    browser_requested = Signal()
    export_requested = Signal()
    import_requested = Signal()
    share_requested = Signal()
    routine_import_requested = Signal()
    handout_requested = Signal()
    report_requested = Signal()
    about_requested = Signal()
    closing = Signal()
    page_built = Signal(QWidget)

    def __init__(self, palette: Palette, state_file: Path, notices: NoticeBoard) -> None:
        super().__init__()
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.setMinimumSize(800, 500)  # fits a 1024×600 netbook screen with a panel
        self._state_file = state_file
        self._palette = palette
        self.pages = QStackedWidget()
        self._home: HomeScreen | None = None
        self._player: PlayerScreen | None = None
        self._summary: SummaryScreen | None = None
        self.history_page: QWidget | None = None
        # One banner above every page: what matters is seen wherever the person is.
        self.banner = NoticeBanner(notices)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self._banner_box = QWidget()
        box = QVBoxLayout(self._banner_box)
        box.setContentsMargins(24, 12, 24, 0)
        box.addWidget(self.banner)
        column.addWidget(self._banner_box)
        column.addWidget(self.pages, 1)
        self._notices = notices
        notices.changed.connect(self._show_banner)
        self.banner.focus_released.connect(self._focus_page)
        self._show_banner()
        self.setCentralWidget(central)
        self._build_menus()
        QShortcut(QKeySequence("Esc"), self).activated.connect(self._escape)
        self._restore_state()

    # --- pages ---------------------------------------------------------------

    @property
    def home(self) -> HomeScreen:
        """The home page (built on first use)."""
        if self._home is None:
            from si_timer.ui.home import HomeScreen

            self._home = HomeScreen()
            self._add_page(self._home)
        return self._home

    @property
    def player(self) -> PlayerScreen:
        """The session page with its keys (built on first use)."""
        if self._player is None:
            from si_timer.ui.session.player import PlayerScreen

            self._player = PlayerScreen(self._palette)
            self._build_keys(self._player)
            self._add_page(self._player)
        return self._player

    @property
    def summary(self) -> SummaryScreen:
        """The page after a session (built on first use)."""
        if self._summary is None:
            from si_timer.ui.session.summary import SummaryScreen

            self._summary = SummaryScreen()
            self._add_page(self._summary)
        return self._summary

    @property
    def built_home(self) -> HomeScreen | None:
        """The home page if it has been built (asking ``home`` builds it)."""
        return self._home

    @property
    def built_player(self) -> PlayerScreen | None:
        return self._player

    @property
    def built_summary(self) -> SummaryScreen | None:
        return self._summary

    def built_pages(self) -> list[QWidget]:
        """The pages built so far (home, player, summary), in that order."""
        return [p for p in (self._home, self._player, self._summary) if p is not None]

    def _add_page(self, page: QWidget) -> None:
        self.pages.addWidget(page)
        self.page_built.emit(page)

    def set_palette(self, palette: Palette) -> None:
        """A new theme: the player paints with it (now, or when it is built)."""
        self._palette = palette
        if self._player is not None:
            self._player.set_palette(palette)

    def show_page(self, page: QWidget) -> None:
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        is_player = page is self._player
        self.menuBar().setVisible(not is_player or not self._full_screen)
        self._size_banner()
        if is_player:
            page.setFocus()  # the session keys listen here

    @property
    def full_screen(self) -> bool:
        return self._full_screen

    @property
    def in_session(self) -> bool:
        return self._player is not None and self.pages.currentWidget() is self._player

    # --- menus and keys ------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        app_menu = bar.addMenu("&SI Timer")
        self._action(app_menu, "&Home", self.home_requested, "Ctrl+H")
        self._action(app_menu, "&Calendar and history", self.history_requested, "Ctrl+Shift+H")
        self._action(app_menu, "E&xercises", self.browser_requested, "Ctrl+Shift+X")
        app_menu.addSeparator()
        self._action(app_menu, "Sh&are a routine…", self.share_requested)
        self._action(app_menu, "Import a &routine…", self.routine_import_requested)
        self._action(app_menu, "&Print a handout…", self.handout_requested, "Ctrl+P")
        app_menu.addSeparator()
        self._action(app_menu, "&Export history…", self.export_requested, "Ctrl+E")
        self._action(app_menu, "&Import a backup…", self.import_requested)
        self._action(app_menu, "Repor&t for your physio…", self.report_requested)
        app_menu.addSeparator()
        self._action(app_menu, "&Settings…", self.settings_requested, "Ctrl+,")
        app_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        app_menu.addAction(quit_action)
        view = bar.addMenu("&View")
        full = QAction("&Full screen", self)
        full.setShortcut(QKeySequence("F11"))
        full.triggered.connect(self.toggle_fullscreen)
        view.addAction(full)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Safety and warning signs", self.safety_requested)
        self._action(help_menu, "&Tips for your back", self.tips_requested)
        self._action(help_menu, "&About SI Timer", self.about_requested)

    def _action(
        self, menu: QMenu, text: str, signal: SignalInstance, shortcut: str | None = None
    ) -> None:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(signal)
        menu.addAction(action)

    def _build_keys(self, player: QWidget) -> None:
        """Session keys live on the player page only, so Space and Enter still type
        and press buttons everywhere else (the summary's note, dialogs)."""
        keys: dict[Command, tuple[str, ...]] = {
            Command.PAUSE: ("Space", "Media Play", "Media Pause", "Toggle Media Play/Pause"),
            Command.NEXT: ("Right", "PgDown", "Media Next"),
            Command.PREVIOUS: ("Left", "PgUp", "Media Previous"),
            Command.SKIP_EXERCISE: ("Shift+Right", "Shift+PgDown"),
            Command.PREVIOUS_EXERCISE: ("Shift+Left", "Shift+PgUp"),
            Command.DONE: ("Return", "Enter"),
            Command.EXTEND: ("+", "="),
            Command.HURTS: ("H",),
            Command.REPEAT: ("R",),
        }
        scope = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for command, sequences in keys.items():
            for seq in sequences:
                shortcut = QShortcut(QKeySequence(seq), player, context=scope)
                shortcut.activated.connect(partial(self._session_command, command))
        QShortcut(QKeySequence("F"), player, context=scope).activated.connect(
            self.toggle_fullscreen
        )
        QShortcut(QKeySequence("M"), player, context=scope).activated.connect(self.mute_toggled)

    def _session_command(self, command: Command) -> None:
        if self.in_session:
            self.session_command.emit(command)

    def _escape(self) -> None:
        """Esc leaves full screen first; in a session it then asks before ending."""
        if self._full_screen:
            self.toggle_fullscreen()
            return
        self._session_command(Command.END)

    def ask_end(self) -> bool:
        """Ask whether to end the session now; True for yes."""
        answer = QMessageBox.question(
            self,
            "End the session?",
            "End this session now? What you have done so far is kept.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def set_close_guard(self, guard: Callable[[], bool] | None) -> None:
        """``guard()`` is asked before the window closes (Ctrl+Q, the close button);
        False keeps it open.  A running session asks before it is ended."""
        self._close_guard = guard

    _close_guard: Callable[[], bool] | None = None

    _normal_geometry: QRect | None = None
    _full_screen = False  # tracked here: without a window manager isFullScreen() stays False

    def toggle_fullscreen(self) -> None:
        self._full_screen = not self._full_screen
        if not self._full_screen:
            self.showNormal()
            if self._normal_geometry is not None:
                self.setGeometry(self._normal_geometry)
        else:
            self._normal_geometry = self.geometry()
            self.showFullScreen()
            # Without a window manager (a kiosk X session, Xvfb) the full-screen
            # request is not acted on; taking the screen's geometry does it.
            screen = self.screen()
            if screen is not None:
                self.setGeometry(screen.geometry())
        self.menuBar().setVisible(not (self._full_screen and self.in_session))

    def _show_banner(self) -> None:
        self._banner_box.setVisible(bool(self._notices.notices()))

    def _focus_page(self) -> None:
        """Give the focus back to the page: on home the big start button, not
        whatever came next in line after a dismissed notice."""
        page = self.pages.currentWidget()
        if page is None:
            return
        if page is self._home:
            self._home.hero.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            page.setFocus(Qt.FocusReason.OtherFocusReason)

    def _size_banner(self) -> None:
        """On the player the newest notice is read from the mat (about 3.5 % of the window's
        height) and the rest wait as "and N more", so the countdown keeps its room."""
        if self.in_session:
            self.banner.set_font_px(max(20, round(self.height() * 0.035)))
            self.banner.set_max_shown(1)
        else:
            self.banner.set_font_px(18)
            self.banner.set_max_shown(3)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_banner()

    # --- window state --------------------------------------------------------

    def _restore_state(self) -> None:
        # Read with the cap and strict JSON: a FIFO, /dev/zero or a 5000-digit
        # number here must not stop the window from opening.
        try:
            data = parse_json(read_limited(self._state_file, _MAX_STATE_BYTES), max_depth=4)
            geometry = base64.b64decode(data["geometry"], validate=True)
        except (FileProblem, OSError, ValueError, KeyError, TypeError):
            self._default_size()
            return
        if not self.restoreGeometry(QByteArray(geometry)):
            self._default_size()
        self._wants_fullscreen = bool(data.get("fullscreen", False))

    _wants_fullscreen = False

    def _default_size(self) -> None:
        """A sensible share of the screen: on 1080 lines and more, 80 % of what is free
        (at most 1920×1200), centred; on smaller screens all of it (a 720p laptop)."""
        free = self.screen().availableGeometry()
        self.setGeometry(default_geometry(free))

    @property
    def wants_fullscreen(self) -> bool:
        return self._wants_fullscreen

    def save_state(self) -> None:
        geometry = base64.b64encode(bytes(self.saveGeometry().data())).decode("ascii")
        data = {"geometry": geometry, "fullscreen": self._full_screen}
        with contextlib.suppress(OSError):  # losing the window size is not worth a message
            write_private(self._state_file, json.dumps(data))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._close_guard is not None and not self._close_guard():
            event.ignore()
            return
        self.save_state()
        self.closing.emit()
        super().closeEvent(event)
