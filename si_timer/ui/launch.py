"""Start-up: one instance per data folder, the window painted first, the rest after.

``si-timer`` and ``si-timer start ROUTINE`` come here (from :mod:`si_timer.cli`)
once the routine is known to exist; everything that is not needed to paint the
first screen waits until it has painted (:class:`AfterFirstPaint`): the first
screen is home, or for ``si-timer start`` the session's start screen.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from si_timer import APP_DISPLAY_NAME, APP_NAME, __version__
from si_timer.config.logs import setup_logging_later
from si_timer.config.paths import AppPaths
from si_timer.desktop_id import APP_ID
from si_timer.ui.app import App
from si_timer.ui.crash import install_excepthook
from si_timer.ui.main_window import MainWindow
from si_timer.ui.notices import NoticeLevel
from si_timer.ui.system.single_instance import HandOver, claim_or_hand_over, server_name
from si_timer.ui.theme import fusion_application

if TYPE_CHECKING:
    from collections.abc import Callable

    from si_timer.library.catalog import Catalog


class FirstPaintProbe(QObject):
    """For benchmarks: prints ``painted:NAME`` on stdout the first time each watched
    widget paints, so start-up can be timed from outside the process."""

    def __init__(self, widgets: dict[str, QWidget]) -> None:
        super().__init__()
        self._names: dict[QObject, str] = {}
        for name, widget in widgets.items():
            self.watch(name, widget)

    def watch(self, name: str, widget: QWidget) -> None:
        self._names[widget] = name
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched in self._names:
            name = self._names.pop(watched)
            # Report after this paint has reached the screen, not before it.
            QTimer.singleShot(0, lambda: print(f"painted:{name}", flush=True))
            watched.removeEventFilter(self)
        return False


class AfterFirstPaint(QObject):
    """Calls ``then()`` once ``widget`` has painted for the first time and that paint
    has reached the screen.

    A zero-time timer started at ``show()`` would run before the window is even
    exposed (the X server answers later), putting whatever it does in front of
    the first paint; this waits for the paint itself.
    """

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            watched.removeEventFilter(self)
            # Two turns of the event loop: the children of ``widget`` paint in the same
            # pass, and what their paint queued (the benchmark's probe) goes first.
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, then))
        return False


def run_app(paths: AppPaths, args: argparse.Namespace, *, catalog: Catalog | None = None) -> int:
    """Open the window (and a session if asked); returns the exit code.

    ``catalog``: the library, if the command line has read it already."""
    # The log file (and logging.handlers) after the first paint; what is logged
    # before it is kept for it, and an error opens it at once.
    log_file, open_log_file = setup_logging_later(paths)
    qapp = QApplication.instance() or fusion_application(sys.argv[0] if sys.argv else APP_NAME)
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationDisplayName(APP_DISPLAY_NAME)
    qapp.setApplicationVersion(__version__)
    qapp.setDesktopFileName(APP_ID)
    command = getattr(args, "command", None) or "open"
    background = bool(getattr(args, "background", False)) and command == "open"
    request = {"command": "background" if background else command}
    if command == "start":
        request["routine"] = args.routine
    name = server_name(paths.data_dir)
    # The name is ours from here (claimed), or the request went to who has it;
    # QtNetwork waits for the paint.
    handed, claimed = claim_or_hand_over(name, request)
    if handed is not HandOver.NO_INSTANCE:
        open_log_file()  # no window here: nothing to wait for
    if handed is HandOver.HANDED_OVER:
        print("si-timer is already running: it was brought to the front.", file=sys.stderr)
        return 0
    if handed is HandOver.NOT_RESPONDING:
        print(
            "si-timer is already running but is not responding; "
            "close it (or end its process) and start again.",
            file=sys.stderr,
        )
        return 1
    app = App(
        qapp,
        paths,
        time_scale=getattr(args, "time_scale", 1.0),
        events=getattr(args, "events", None),
        log_file=log_file,
        catalog=catalog,
        paint_first=True,
    )
    uninstall_hook = install_excepthook(
        log_file=log_file,
        keep_safe=app.keep_safe,
        tell=lambda title, text: app.tell("crash", title, NoticeLevel.PROBLEM, detail=text),
    )
    window = app.window
    if background and app.settings.safety_acknowledged:
        qapp.setQuitOnLastWindowClosed(False)  # no window yet: quit from the tray
    else:
        background = False
        # The first page: the session's start screen for `si-timer start`, when
        # nothing must be asked first; otherwise home.
        if not (command == "start" and app.open_session_first(args.routine)):
            window.show_page(window.home)
        window.show()
    if not background and (
        (command == "start" and getattr(args, "fullscreen", False)) or window.wants_fullscreen
    ):
        window.toggle_fullscreen()

    def after_show() -> None:
        from si_timer.ui.system.single_instance_server import InstanceServer

        server = InstanceServer(name, app, claimed=claimed)
        server.request_received.connect(app.handle_request)
        open_log_file()
        if background:
            app.after_background_start()
        else:
            app.after_first_paint(command, getattr(args, "routine", None))
        app.background.start()
        if not background:
            app.background.offer_menu_entry()

    if background:
        QTimer.singleShot(0, after_show)
    else:
        AfterFirstPaint(window.pages.currentWidget() or window, after_show)
    probe = None
    if os.environ.get("SI_TIMER_PAINT_PROBE"):
        # Installed last, so it sees the paint first: it reports before after_show runs.
        probe = _paint_probe(window)
    try:
        code = qapp.exec()
    finally:
        open_log_file()  # (if it never painted) what was kept is not lost
    uninstall_hook()
    del probe
    return code


def _paint_probe(window: MainWindow) -> FirstPaintProbe:
    """Watches home and the countdown ring, each as soon as its page exists."""
    probe = FirstPaintProbe({})

    def watch(page: QWidget) -> None:
        if page is window.built_home:
            probe.watch("home", page)
        elif page is window.built_player:
            probe.watch("countdown", window.player.ring)

    for page in window.built_pages():
        watch(page)
    window.page_built.connect(watch)
    return probe
